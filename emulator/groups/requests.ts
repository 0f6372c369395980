// Join requests for groups with approval on: admins list them and approve
// or reject each one; a contact asking to join is a test-side action.
import type { EmulatorHost } from '../server/host.js'
import { IqError } from '../server/router.js'
import { type BinaryNode, children, firstChild, node } from '../wire/binary-node.js'
import type { Group } from '../world/group.js'
import { BAD_REQUEST, requireAdmin, targetGroup } from './access.js'
import { notifyGroup, type Actor } from './notify.js'
import { participantNode } from './render.js'

export function listRequests(host: EmulatorHost, iq: BinaryNode, actor: Actor): BinaryNode {
  const g = targetGroup(host, iq)
  requireAdmin(g, actor)
  return node(
    'membership_approval_requests',
    {},
    [...g.requests.values()].map((r) =>
      node('membership_approval_request', { jid: r.lid, phone_number: r.pn, request_time: String(r.t), request_method: r.method }),
    ),
  )
}

/** <membership_requests_action><approve|reject><participant jid/>…</…></…> */
export function actOnRequests(host: EmulatorHost, iq: BinaryNode, op: BinaryNode, actor: Actor): BinaryNode {
  const g = targetGroup(host, iq)
  requireAdmin(g, actor)
  const action = firstChild(op)
  if (!action || (action.tag !== 'approve' && action.tag !== 'reject')) throw BAD_REQUEST()
  const results: BinaryNode[] = []
  const done: { lid: string; pn: string }[] = []
  for (const p of children(action, 'participant')) {
    const jid = p.attrs.jid ?? ''
    const person = host.world.person(jid)
    const req = person ? g.requests.get(person.lid) : undefined
    if (!req) {
      results.push(node('participant', { jid, error: '404' }))
      continue
    }
    g.requests.delete(req.lid)
    if (action.tag === 'approve') g.members.set(req.lid, { lid: req.lid, pn: req.pn, role: 'member' })
    done.push(req)
    results.push(node('participant', { jid }))
  }
  if (done.length > 0) {
    const change =
      action.tag === 'approve'
        ? node('add', { reason: 'approve' }, done.map((r) => participantNode(r)))
        : node('revoked_membership_requests', {}, done.map((r) => participantNode(r)))
    notifyGroup(host, g, actor, change)
  }
  return node('membership_requests_action', {}, [node(action.tag, {}, results)])
}

/** A contact asks to join `g` (test-side); admins are notified. */
export function requestToJoin(host: EmulatorHost, g: Group, phoneOrJid: string): void {
  const c = host.world.contact(phoneOrJid)
  if (!c) throw new Error(`requestToJoin: no contact ${phoneOrJid}`)
  if (g.members.has(c.lid)) throw new IqError(409, 'conflict')
  g.requests.set(c.lid, { lid: c.lid, pn: c.jid, t: host.now(), method: 'invite_link' })
  const who = { lid: c.lid, pn: c.jid }
  notifyGroup(host, g, who, node('created_membership_requests', { request_method: 'invite_link' }, [participantNode(who)]))
}
