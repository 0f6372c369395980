// Which simulated Signal device a jid in the client's stanzas names: one of
// a contact's devices, the bot account's phone, or the bot's own companion.
import { contactSignal } from './contact-state.js'
import type { ContactSignal } from './contact-state.js'
import { phonePeer } from './bot-device.js'
import type { BotDevice } from './bot-device.js'
import { parseDeviceJid } from './jids.js'
import type { ContactLike, WorldLike } from './signal-host.js'
import type { SignalPeer } from './signal-peer.js'

export type Reader =
  | { kind: 'contact'; contact: ContactLike; state: ContactSignal; peer: SignalPeer; device: number }
  | { kind: 'phone'; peer: SignalPeer }
  | { kind: 'companion' }

export function deviceOwner(world: WorldLike, bot: BotDevice, jid: string): Reader | undefined {
  const d = parseDeviceJid(jid)
  if (!d) return undefined
  const person = world.person(jid)
  if (person?.isBot) {
    if (d.device === 0) return { kind: 'phone', peer: phonePeer(bot.bot) }
    return d.device === bot.device ? { kind: 'companion' } : undefined
  }
  if (!person?.contact) return undefined
  const state = contactSignal(person.contact)
  const device = state.devices.get(d.device)
  return device ? { kind: 'contact', contact: person.contact, state, peer: device.peer, device: device.id } : undefined
}
