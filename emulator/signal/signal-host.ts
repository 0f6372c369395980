// The slice of the emulator server the Signal layer uses, written
// structurally so this folder builds and tests on its own; the server
// core's `EmulatorHost`/`World` satisfy it.
import type { BinaryNode } from '@whiskeysockets/baileys'
import type { UploadedKeys } from './bundle-wire.js'
import type { MediaStoreLike } from './media-message.js'

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
  /** `keyIndex`: what other bots' device lists show it with (a companion listed without one is dropped). */
  companion: { device: number; keyIndex?: number } | undefined
  pushName?: string
}

export interface PersonLike {
  lid: string
  pn: string
  contact?: ContactLike
  isBot: boolean
  /** Which bot, when the world has several; absent means the first. */
  bot?: BotLike
}

export interface WorldLike {
  /** The first bot: the one contacts write to unless told otherwise. */
  readonly bot: BotLike | undefined
  /** Every bot account by phone, the first first. */
  readonly bots: ReadonlyMap<string, BotLike>
  readonly contacts: Map<string, ContactLike>
  /** What `bot`'s current companion uploaded, if it has. */
  preKeysOf(bot: BotLike): UploadedKeys | undefined
  /** The bot a phone, pn jid or lid jid names. */
  botOf(phoneOrJid: string): BotLike | undefined
  contact(phoneOrJid: string): ContactLike | undefined
  person(jid: string): PersonLike | undefined
  /** A group the server knows, to fan group messages out to its members only. */
  group(jid: string): { member(lidOrPn: string): unknown } | undefined
}

export interface SignalHost {
  readonly world: WorldLike
  /** Pushes a node to a logged-in bot (default: the first); false when it is not connected. */
  sendToBot(node: BinaryNode, bot?: BotLike): boolean
  /** A logged-in bot's connection, which a pushed node goes out on; absent where nothing connects. */
  session?(bot?: BotLike): { readonly id: number } | undefined
  /** Server time, unix seconds. */
  now(): number
  /** The media host's store: where contacts upload, and download what bots sent. */
  readonly media?: MediaStoreLike
}
