// Per-contact Signal state, kept in the world contact's `signal` slot: the
// contact's devices (the phone, device 0, sends; linked companions only
// receive) and what the phone has told the bot.
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
  /** Groups whose sender key the current bot device already has from us. */
  readonly senderKeySent = new Set<string>()
  /** Identity of the bot device our sessions were made with. */
  private botIdentity: string | undefined
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
    const id = `${bot.name}.${bot.device}:${identityKey.toString('hex')}`
    if (this.botIdentity === id) return
    this.botIdentity = id
    for (const d of this.devices.values()) d.peer.forgetSession(bot)
    this.senderKeySent.clear()
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
