// The slice of the emulator server the Signal layer uses, written
// structurally so this folder builds and tests on its own; the server
// core's `EmulatorHost`/`World` satisfy it.
import type { BinaryNode } from '@whiskeysockets/baileys'
import type { UploadedKeys } from './bundle-wire.js'

export interface ContactLike {
  readonly phone: string
  /** `phone@s.whatsapp.net` */
  readonly jid: string
  /** `lid@lid` */
  readonly lid: string
  name: string
  /** Slot the Signal layer keeps its per-contact state in. */
  signal?: unknown
}

export interface BotLike {
  readonly phone: string
  readonly jid: string
  readonly lid: string
  /** The account's phone (device 0) identity, Baileys-shaped (32-byte public key). */
  readonly phoneIdentity: { public: Uint8Array; private: Uint8Array }
  readonly phoneRegistrationId: number
  companion: { device: number } | undefined
}

export interface PersonLike {
  lid: string
  pn: string
  contact?: ContactLike
  isBot: boolean
}

export interface WorldLike {
  bot: BotLike | undefined
  readonly contacts: Map<string, ContactLike>
  botPreKeys(): UploadedKeys | undefined
  contact(phoneOrJid: string): ContactLike | undefined
  person(jid: string): PersonLike | undefined
  /** A group the server knows, to fan group messages out to its members only. */
  group(jid: string): { member(lidOrPn: string): unknown } | undefined
}

export interface SignalHost {
  readonly world: WorldLike
  /** Pushes a node to the logged-in bot; false when none is connected. */
  sendToBot(node: BinaryNode): boolean
  /** The logged-in bot's connection, which a pushed node goes out on; absent where nothing connects. */
  session?(): { readonly id: number } | undefined
  /** Server time, unix seconds. */
  now(): number
}
