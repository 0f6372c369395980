// Group changes reach the client only as <notification type="w:gp2">, sent
// after the IQ reply like the real server does; Baileys turns them into
// groups.upsert / group-participants.update / groups.update.
import type { EmulatorHost } from '../server/host.js'
import { type BinaryNode, node } from '../wire/binary-node.js'
import type { Group } from '../world/group.js'

export interface Actor {
  lid: string
  pn: string
}

export function notifyGroup(host: EmulatorHost, g: Group, actor: Actor, change: BinaryNode, opts: { evenIfNotMember?: boolean } = {}): void {
  const bot = host.world.bot
  if (!bot) return
  // Only members hear about a group, except the one just removed or leaving.
  if (!opts.evenIfNotMember && !g.members.has(bot.lid)) return
  const stanza = node(
    'notification',
    {
      from: g.jid,
      type: 'w:gp2',
      id: host.nextId(),
      participant: actor.lid,
      participant_pn: actor.pn,
      t: String(host.now()),
      addressing_mode: 'lid',
      notify: host.world.contact(actor.pn)?.name,
    },
    [change],
  )
  setImmediate(() => host.sendToBot(stanza))
}
