// The <group> node as the server sends it in create replies, metadata
// queries, participating lists and create notifications: LID addressing,
// each participant's phone number beside its LID.
import { type BinaryNode, node } from '../wire/binary-node.js'
import type { Group, Member } from '../world/group.js'

export function participantNode(m: Pick<Member, 'lid' | 'pn'> & { role?: Member['role'] }, extra: Record<string, string> = {}): BinaryNode {
  const type = m.role === 'admin' || m.role === 'superadmin' ? m.role : undefined
  return node('participant', { jid: m.lid, phone_number: m.pn, type, ...extra })
}

export function groupNode(g: Group, opts: { withParticipants?: boolean; extra?: BinaryNode[] } = {}): BinaryNode {
  const content: BinaryNode[] = []
  if (opts.withParticipants !== false) for (const m of g.members.values()) content.push(participantNode(m))
  if (opts.extra) content.push(...opts.extra)
  if (g.description) {
    const d = g.description
    content.push(node('description', { id: d.id, t: String(d.t), participant: d.owner, participant_pn: d.ownerPn }, [node('body', {}, Buffer.from(d.body))]))
  }
  if (g.announce) content.push(node('announcement'))
  if (g.restrict) content.push(node('locked'))
  if (g.ephemeral > 0) content.push(node('ephemeral', { expiration: String(g.ephemeral), trigger: '1' }))
  content.push(node('member_add_mode', {}, g.memberAddMode))
  if (g.joinApproval) content.push(node('membership_approval_mode', {}, [node('group_join', { state: 'on' })]))
  return node(
    'group',
    {
      id: g.id,
      subject: g.subject,
      s_t: String(g.subjectTime),
      s_o: g.subjectOwner,
      s_o_pn: g.subjectOwnerPn,
      creation: String(g.creation),
      creator: g.creator,
      creator_pn: g.creatorPn,
      addressing_mode: 'lid',
      size: String(g.members.size),
    },
    content,
  )
}
