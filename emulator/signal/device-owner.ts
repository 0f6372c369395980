// Which simulated Signal device a jid in a bot's stanzas names: one of a
// contact's devices, a bot account's phone, or a bot's companion (the
// sender's own, or another bot's, which the server forwards to).
import { contactSignal } from './contact-state.js'
import type { ContactSignal } from './contact-state.js'
import { botDeviceOf, phonePeer } from './bot-device.js'
import type { BotDevice } from './bot-device.js'
import { parseDeviceJid } from './jids.js'
import type { BotLike, ContactLike, WorldLike } from './signal-host.js'
import type { SignalPeer } from './signal-peer.js'

export type Reader =
  | { kind: 'contact'; contact: ContactLike; state: ContactSignal; peer: SignalPeer; device: number }
  | { kind: 'phone'; bot: BotLike; peer: SignalPeer }
  | { kind: 'companion'; device: BotDevice }

export function deviceOwner(world: WorldLike, jid: string): Reader | undefined {
  const d = parseDeviceJid(jid)
  if (!d) return undefined
  const person = world.person(jid)
  if (person?.isBot) {
    const bot = person.bot ?? world.bot
    if (!bot) return undefined
    if (d.device === 0) return { kind: 'phone', bot, peer: phonePeer(bot) }
    const companion = botDeviceOf(world, bot)
    return companion && d.device === companion.device ? { kind: 'companion', device: companion } : undefined
  }
  if (!person?.contact) return undefined
  const state = contactSignal(person.contact)
  const device = state.devices.get(d.device)
  return device ? { kind: 'contact', contact: person.contact, state, peer: device.peer, device: device.id } : undefined
}
