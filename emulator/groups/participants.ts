// add / remove / promote / demote: each participant gets its own outcome,
// carried as an `error` attribute in the reply; the successful ones are
// announced in one notification.
import type { EmulatorHost } from '../server/host.js'
import { type BinaryNode, children, node } from '../wire/binary-node.js'
import type { Group, Member } from '../world/group.js'
import { tryAdd } from './add-outcome.js'
import { requireAdmin, requireMember, targetGroup } from './access.js'
import { notifyGroup, type Actor } from './notify.js'
import { participantNode } from './render.js'

export type ParticipantOp = 'add' | 'remove' | 'promote' | 'demote'

export function changeParticipants(host: EmulatorHost, iq: BinaryNode, op: BinaryNode & { tag: ParticipantOp }, actor: Actor): BinaryNode {
  const g = targetGroup(host, iq)
  if (op.tag === 'add' && g.memberAddMode === 'all_member_add') requireMember(g, actor)
  else requireAdmin(g, actor)
  return applyParticipants(host, g, actor, op)
}

/** The change itself, once the caller checked the actor may make it. */
export function applyParticipants(host: EmulatorHost, g: Group, actor: Actor, op: BinaryNode & { tag: ParticipantOp }): BinaryNode {
  const results: BinaryNode[] = []
  const changed: Member[] = []
  for (const p of children(op, 'participant')) {
    const jid = p.attrs.jid ?? ''
    if (op.tag === 'add') {
      const out = tryAdd(host, g, jid)
      if (out.ok) {
        changed.push(out.member)
        results.push(participantNode(out.member))
      } else results.push(out.error)
      continue
    }
    const m = memberByJid(host, g, jid)
    const error = m ? refusal(op.tag, g, m, actor.lid) : 404
    if (error || !m) {
      results.push(node('participant', { jid, error: String(error) }))
      continue
    }
    if (op.tag === 'remove') g.members.delete(m.lid)
    else m.role = op.tag === 'promote' ? 'admin' : 'member'
    changed.push(m)
    results.push(participantNode(m))
  }
  if (changed.length > 0) {
    // Whoever was just removed hears of it, though no longer a member.
    const removed = op.tag === 'remove' ? changed.map((m) => m.lid) : []
    notifyGroup(host, g, actor, node(op.tag, {}, changed.map((m) => participantNode({ lid: m.lid, pn: m.pn }))), { alsoTell: removed })
  }
  return node(op.tag, {}, results)
}

function memberByJid(host: EmulatorHost, g: Group, jid: string): Member | undefined {
  const person = host.world.person(jid)
  return person ? g.members.get(person.lid) : undefined
}

/** An error code when `m` cannot undergo `op`, else 0. */
function refusal(op: ParticipantOp, g: Group, m: Member, actorLid: string): number {
  // The creator (superadmin) can only be changed by themself.
  if (m.role === 'superadmin' && m.lid !== actorLid && g.member(actorLid)?.role !== 'superadmin') return 406
  if (op === 'promote' && m.role !== 'member') return 409
  if (op === 'demote' && m.role === 'member') return 409
  return 0
}

