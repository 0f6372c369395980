// Invite links: reading and revoking a group's code (admins), looking a
// code up and joining by it (anyone). A group with join approval on turns a
// join into a pending request.
import type { EmulatorHost } from '../server/host.js'
import { IqError } from '../server/router.js'
import { type BinaryNode, node } from '../wire/binary-node.js'
import type { Group } from '../world/group.js'
import { requireAdmin, targetGroup } from './access.js'
import { notifyGroup, type Actor } from './notify.js'
import { groupNode, participantNode } from './render.js'

const INVALID_CODE = (): IqError => new IqError(406, 'not-acceptable')

function byCode(host: EmulatorHost, code: string): Group {
  for (const g of host.world.groups.values()) if (g.inviteCode === code) return g
  throw INVALID_CODE()
}

/** <iq to=group type=get><invite/></iq> and type=set (revoke). */
export function groupInvite(host: EmulatorHost, iq: BinaryNode, actor: Actor): BinaryNode {
  const g = targetGroup(host, iq)
  requireAdmin(g, actor)
  if (iq.attrs.type === 'set') {
    g.revokeInvite()
    notifyGroup(host, g, actor, node('invite', { code: g.inviteCode }))
  }
  return node('invite', { code: g.inviteCode })
}

/** <iq to="@g.us" type=get><invite code/></iq>: what a link points to. */
export function inviteInfo(host: EmulatorHost, op: BinaryNode): BinaryNode {
  return groupNode(byCode(host, op.attrs.code ?? ''))
}

/** <iq to="@g.us" type=set><invite code/></iq>: the bot joins by link. */
export function acceptInvite(host: EmulatorHost, op: BinaryNode, actor: Actor): BinaryNode {
  const g = byCode(host, op.attrs.code ?? '')
  if (g.members.has(actor.lid)) throw new IqError(409, 'conflict')
  if (g.joinApproval) {
    g.requests.set(actor.lid, { lid: actor.lid, pn: actor.pn, t: host.now(), method: 'invite_link' })
    return node('membership_approval_request', { jid: g.jid })
  }
  g.members.set(actor.lid, { ...actor, role: 'member' })
  notifyGroup(host, g, actor, node('add', { reason: 'invite' }, [participantNode(actor)]))
  return node('group', { jid: g.jid })
}

/**
 * <iq to=group type=set><accept code expiration admin/></iq>: the bot takes
 * up an invite someone sent it in a chat (a v4 invite). The code travelled
 * inside an encrypted message, so any code is taken as genuine here.
 */
export function acceptInviteV4(host: EmulatorHost, iq: BinaryNode, op: BinaryNode, actor: Actor): undefined {
  const g = targetGroup(host, iq)
  if (g.members.has(actor.lid)) throw new IqError(409, 'conflict')
  if (Number(op.attrs.expiration ?? 0) > 0 && Number(op.attrs.expiration) < host.now()) throw new IqError(410, 'gone')
  g.members.set(actor.lid, { ...actor, role: 'member' })
  notifyGroup(host, g, actor, node('add', { reason: 'invite' }, [participantNode(actor)]))
  return undefined
}
