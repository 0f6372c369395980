// What happens to one person someone tries to put in a group: added, or a
// per-participant error (403 privacy with an invite to send instead, 404 not
// on WhatsApp, 409 already a member).
import type { EmulatorHost } from '../server/host.js'
import { type BinaryNode, node } from '../wire/binary-node.js'
import type { Group, Member, Role } from '../world/group.js'
import { newInviteCode } from '../world/group.js'
import type { Person } from '../world/world.js'
import { participantNode } from './render.js'

export type AddOutcome = { ok: true; member: Member } | { ok: false; error: BinaryNode }

export function tryAdd(host: EmulatorHost, g: Group, requestedJid: string, role: Role = 'member'): AddOutcome {
  const who: Person | undefined = host.world.person(requestedJid)
  const refuse = (code: number, content?: BinaryNode[]): AddOutcome => ({
    ok: false,
    error: node('participant', { jid: requestedJid, error: String(code) }, content),
  })
  // Numbers nobody registered, and contacts set up that way, are not on WhatsApp.
  if (!who || (!who.isBot && (!who.contact || who.contact.onGroupAdd === 'not-on-whatsapp'))) return refuse(404)
  if (g.members.has(who.lid)) return refuse(409)
  if (who.contact?.onGroupAdd === 'privacy') {
    // The server hands back an invite the adder can send privately instead.
    const expiration = String(host.now() + 3 * 24 * 3600)
    return refuse(403, [node('add_request', { code: newInviteCode(), expiration })])
  }
  const member: Member = { lid: who.lid, pn: who.pn, role }
  g.members.set(member.lid, member)
  g.requests.delete(member.lid)
  return { ok: true, member }
}

export function addedNode(m: Member): BinaryNode {
  return participantNode(m)
}
