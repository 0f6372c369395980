// A simulated WhatsApp user other than the bot. Kept as a plain interface so
// the Signal layer can add what it needs (module augmentation of `Contact`,
// or the `signal` slot) without this file knowing about Signal.
import { lidJid, lidUserFor, pnJid } from './jids.js'

export type GroupAddBehaviour = 'accept' | 'privacy' | 'not-on-whatsapp'

export interface Contact {
  /** Digits only, no "+". */
  readonly phone: string
  /** `phone@s.whatsapp.net` */
  readonly jid: string
  /** `lid@lid` */
  readonly lid: string
  name: string
  /** What happens when someone adds this contact to a group. */
  onGroupAdd: GroupAddBehaviour
  /** Reserved for the Signal layer's per-contact state (identity, sessions). */
  signal?: unknown
}

export function makeContact(phone: string, name?: string, onGroupAdd: GroupAddBehaviour = 'accept'): Contact {
  return {
    phone,
    jid: pnJid(phone),
    lid: lidJid(lidUserFor(phone)),
    name: name ?? `Contact ${phone.slice(-4)}`,
    onGroupAdd,
  }
}
