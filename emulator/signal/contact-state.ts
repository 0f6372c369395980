// Per-contact Signal state, kept in the world contact's `signal` slot: the
// contact's one device (a phone, device 0), and what it has told the bot.
import { SignalPeer } from './signal-peer.js'
import { deviceAddress } from './jids.js'
import type { DeviceAddress } from './signal-peer.js'
import type { ContactLike } from './signal-host.js'

export class ContactSignal {
  readonly peer = new SignalPeer()
  readonly address: DeviceAddress
  /** Groups whose sender key the current bot device already has from us. */
  readonly senderKeySent = new Set<string>()
  /** Identity of the bot device our sessions were made with. */
  private botIdentity: string | undefined
  /** Encrypt-and-send runs one at a time so ratchet order equals wire order. */
  private queue: Promise<unknown> = Promise.resolve()

  constructor(contact: ContactLike) {
    this.address = deviceAddress(userPart(contact.lid), 0)
  }

  /** A re-paired bot is a new device: sessions and sender keys made for the old one are void. */
  followBot(bot: DeviceAddress, identityKey: Buffer): void {
    const id = `${bot.name}.${bot.device}:${identityKey.toString('hex')}`
    if (this.botIdentity === id) return
    this.botIdentity = id
    this.peer.forgetSession(bot)
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
