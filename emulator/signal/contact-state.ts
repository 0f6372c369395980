// Per-contact Signal state, kept in the world contact's `signal` slot: the
// contact's devices (the phone, device 0, sends; linked companions only
// receive) and what the phone has told each bot it writes to.
import { SignalPeer } from './signal-peer.js'
import { deviceAddress } from './jids.js'
import type { DeviceAddress } from './signal-peer.js'
import type { ContactLike } from './signal-host.js'

export interface ContactDevice {
  id: number
  peer: SignalPeer
  /** Companion devices are listed with the key index their phone signed (0 for the phone). */
  keyIndex: number
}

export class ContactSignal {
  readonly devices = new Map<number, ContactDevice>([[0, { id: 0, peer: new SignalPeer(), keyIndex: 0 }]])
  /** The phone's address, which its sender keys are named after. */
  readonly address: DeviceAddress
  /** Per bot (its address name), the groups whose sender key its current device already has from us. */
  private readonly keysSent = new Map<string, Set<string>>()
  /** Per bot (its address name), the identity of the device our sessions were made with. */
  private readonly botIdentities = new Map<string, string>()
  /** Encrypt-and-send runs one at a time so ratchet order equals wire order. */
  private queue: Promise<unknown> = Promise.resolve()
  private nextKeyIndex = 1

  constructor(contact: ContactLike) {
    this.address = deviceAddress(userPart(contact.lid), 0)
  }

  /** The phone: the device that writes. */
  get peer(): SignalPeer {
    return this.devices.get(0)!.peer
  }

  /** Links one more companion device (like WhatsApp Web); returns its device id. */
  linkDevice(): number {
    const id = Math.max(...this.devices.keys()) + 1
    this.devices.set(id, { id, peer: new SignalPeer(), keyIndex: this.nextKeyIndex++ })
    return id
  }

  /** A re-paired bot is a new device: sessions and sender keys made for the old one are void. */
  followBot(bot: DeviceAddress, identityKey: Buffer): void {
    const id = `${bot.device}:${identityKey.toString('hex')}`
    if (this.botIdentities.get(bot.name) === id) return
    this.botIdentities.set(bot.name, id)
    for (const d of this.devices.values()) d.peer.forgetSession(bot)
    this.keysSent.delete(bot.name)
  }

  /** Whether `bot` has our sender key for `group`. */
  keySent(bot: DeviceAddress, group: string): boolean {
    return this.keysSent.get(bot.name)?.has(group) ?? false
  }

  markKeySent(bot: DeviceAddress, group: string): void {
    let groups = this.keysSent.get(bot.name)
    if (!groups) this.keysSent.set(bot.name, (groups = new Set()))
    groups.add(group)
  }

  forgetKeySent(bot: DeviceAddress, group: string): void {
    this.keysSent.get(bot.name)?.delete(group)
  }

  serial<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task)
    this.queue = run.catch(() => undefined)
    return run
  }
}

export function contactSignal(contact: ContactLike): ContactSignal {
  if (contact.signal instanceof ContactSignal) return contact.signal
  const state = new ContactSignal(contact)
  contact.signal = state
  return state
}

function userPart(jid: string): string {
  return (jid.split('@')[0] ?? '').split(':')[0] ?? ''
}
