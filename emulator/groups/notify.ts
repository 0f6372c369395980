// Group changes reach clients only as <notification type="w:gp2">, sent
// after the IQ reply like the real server does; Baileys turns them into
// groups.upsert / group-participants.update / groups.update. Every bot in
// the group gets its own copy; a bot outside it hears nothing.
import type { EmulatorHost } from '../server/host.js'
import { type BinaryNode, node } from '../wire/binary-node.js'
import type { Group } from '../world/group.js'

export interface Actor {
  lid: string
  pn: string
}

export interface NotifyOptions {
  /** LIDs told although no longer members: the ones just removed or leaving. */
  alsoTell?: string[]
}

export function notifyGroup(host: EmulatorHost, g: Group, actor: Actor, change: BinaryNode, opts: NotifyOptions = {}): void {
  const { world } = host
  const told = [...world.bots.values()].filter((bot) => g.members.has(bot.lid) || opts.alsoTell?.includes(bot.lid))
  if (told.length === 0) return
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
      notify: world.contact(actor.pn)?.name,
    },
    [change],
  )
  setImmediate(() => {
    for (const bot of told) host.sendToBot(stanza, bot)
  })
}
