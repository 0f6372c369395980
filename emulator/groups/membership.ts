// Reading groups and leaving them: metadata of one group, every group the
// bot is in, and leave (which the server reports as a remove of oneself).
import type { EmulatorHost } from '../server/host.js'
import { type BinaryNode, children, node } from '../wire/binary-node.js'
import { requireMember, targetGroup } from './access.js'
import { notifyGroup, type Actor } from './notify.js'
import { groupNode, participantNode } from './render.js'

export function queryGroup(host: EmulatorHost, iq: BinaryNode, actor: Actor): BinaryNode {
  const g = targetGroup(host, iq)
  requireMember(g, actor)
  return groupNode(g)
}

export function participating(host: EmulatorHost, op: BinaryNode, actor: Actor): BinaryNode {
  const withParticipants = children(op, 'participants').length > 0
  const mine = [...host.world.groups.values()].filter((g) => g.members.has(actor.lid))
  return node('groups', {}, mine.map((g) => groupNode(g, { withParticipants })))
}

/** <leave><group id/>…</leave>: each group answered on its own. */
export function leave(host: EmulatorHost, op: BinaryNode, actor: Actor): BinaryNode {
  const results: BinaryNode[] = []
  for (const gNode of children(op, 'group')) {
    const id = gNode.attrs.id ?? ''
    const g = host.world.group(id)
    if (!g || !g.members.has(actor.lid)) {
      results.push(node('group', { id, error: g ? '403' : '404' }))
      continue
    }
    const me = g.members.get(actor.lid)!
    g.members.delete(actor.lid)
    // A group is never left without an admin: the longest member takes over.
    if (me.role !== 'member' && ![...g.members.values()].some((m) => m.role !== 'member')) {
      const heir = g.members.values().next().value
      if (heir) heir.role = 'admin'
    }
    if (g.members.size === 0) host.world.groups.delete(g.jid)
    results.push(node('group', { id }))
    notifyGroup(host, g, actor, node('remove', {}, [participantNode(actor)]), { alsoTell: [actor.lid] })
  }
  return node('leave', {}, results)
}
