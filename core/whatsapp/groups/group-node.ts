import type { BinaryNode } from '@whiskeysockets/baileys'
import { isLid, isPhoneJid, normalizeJid } from '../jids.js'
import type { GroupInfo, GroupParticipant, GroupSettings, JoinRequest, ParticipantFailure, ParticipantOutcome, Person } from './group-types.js'

export const childrenOf = (node: BinaryNode | undefined, tag: string): BinaryNode[] =>
  node && Array.isArray(node.content) ? node.content.filter((child) => child.tag === tag) : []

export const childOf = (node: BinaryNode | undefined, tag: string): BinaryNode | undefined => childrenOf(node, tag)[0]

export function textOf(node: BinaryNode | undefined): string {
  if (!node) return ''
  const { content } = node
  if (typeof content === 'string') return content
  return content instanceof Uint8Array ? Buffer.from(content).toString('utf8') : ''
}

/**
 * In LID-addressed groups a participant's jid is a lid with its phone number
 * beside it; people recognise phone numbers, so that is the jid we report.
 */
export function readableIds(attrs: Record<string, string>, jidKey = 'jid'): Person {
  const jid = normalizeJid(attrs[jidKey] ?? '')
  const phone = attrs.phone_number ?? attrs.participant_pn
  if (isLid(jid) && phone && isPhoneJid(phone)) return { jid: normalizeJid(phone), lid: jid }
  if (isPhoneJid(jid) && attrs.lid && isLid(attrs.lid)) return { jid, lid: normalizeJid(attrs.lid) }
  return { jid }
}

/**
 * A group member, written out rather than spread from a Person: V8 gave every
 * spread copy its own hidden class, so each cached member cost a shape of its
 * own and every read of the cache went megamorphic.
 */
export function groupParticipant(person: Person, isAdmin: boolean, isSuperAdmin: boolean): GroupParticipant {
  return person.lid ? { jid: person.jid, lid: person.lid, isAdmin, isSuperAdmin } : { jid: person.jid, isAdmin, isSuperAdmin }
}

function inviteOf(participant: BinaryNode): ParticipantFailure['invite'] {
  const request = childOf(participant, 'add_request')
  if (!request?.attrs.code) return undefined
  return { code: request.attrs.code, expiration: Number(request.attrs.expiration) || 0 }
}

/** One participant of a create, add, remove, promote, demote or approve reply. */
export function outcomeOf(participant: BinaryNode): ParticipantOutcome {
  const invite = inviteOf(participant)
  // Added to, not spread from, the person: in Node 20's V8 `{ ...person, code }` takes the slow path, about 0.5 µs each.
  const outcome: ParticipantOutcome = Object.assign(readableIds(participant.attrs), { code: Number(participant.attrs.error ?? 200) || 500 })
  if (invite) outcome.invite = invite
  return outcome
}

function settingsOf(node: BinaryNode): GroupSettings {
  return {
    onlyAdminsSend: childOf(node, 'announcement') !== undefined,
    onlyAdminsEdit: childOf(node, 'locked') !== undefined,
    // WhatsApp's default, when the node says nothing, is that only admins add.
    onlyAdminsAdd: textOf(childOf(node, 'member_add_mode')) !== 'all_member_add',
    joinApproval: childOf(childOf(node, 'membership_approval_mode'), 'group_join')?.attrs.state === 'on',
    disappearingSeconds: Number(childOf(node, 'ephemeral')?.attrs.expiration) || 0,
  }
}

/**
 * A group as WhatsApp describes it in a `<group>` node (create, metadata,
 * participating, invite preview). Read by hand rather than through Baileys'
 * parser because that one drops the per-participant `error` of a create, and
 * those tell the user who was not added.
 */
export function parseGroupNode(reply: BinaryNode): { group: GroupInfo; failed: ParticipantFailure[] } | undefined {
  const node = reply.tag === 'group' ? reply : childOf(reply, 'group')
  if (!node?.attrs.id) return undefined
  const participants: GroupParticipant[] = []
  const failed: ParticipantFailure[] = []
  for (const participant of childrenOf(node, 'participant')) {
    if (!participant.attrs.jid) continue
    const outcome = outcomeOf(participant)
    if (outcome.code !== 200) {
      failed.push(outcome)
      continue
    }
    const { type } = participant.attrs
    participants.push(groupParticipant(readableIds(participant.attrs), type === 'admin' || type === 'superadmin', type === 'superadmin'))
  }
  const id = node.attrs.id
  const owner = node.attrs.creator_pn ?? node.attrs.creator
  const description = childOf(node, 'description')
  return {
    group: {
      jid: id.includes('@') ? id : `${id}@g.us`,
      subject: node.attrs.subject ?? '',
      description: textOf(childOf(description, 'body')),
      ...(description?.attrs.id ? { descriptionId: description.attrs.id } : {}),
      ...(owner ? { owner: normalizeJid(owner) } : {}),
      createdAt: Number(node.attrs.creation) || 0,
      size: participants.length || Number(node.attrs.size) || 0,
      participants,
      settings: settingsOf(node),
      addressingMode: node.attrs.addressing_mode === 'lid' ? 'lid' : 'pn',
    },
    failed,
  }
}

export function parseJoinRequests(reply: BinaryNode): JoinRequest[] {
  return childrenOf(childOf(reply, 'membership_approval_requests'), 'membership_approval_request').map(({ attrs }) => ({
    ...readableIds(attrs),
    requestedAt: Number(attrs.request_time) || 0,
    ...(attrs.request_method ? { method: attrs.request_method } : {}),
  }))
}
