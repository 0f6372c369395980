// The emulator's public shape: what tests and the sandbox program against.
import type { EmulatorHost } from './server/host.js'
import type { MediaStore } from './media/media-store.js'
import type { IqMatch } from './server/faults.js'
import type { BinaryNode } from './wire/binary-node.js'
import type { Contact, GroupAddBehaviour } from './world/contact.js'
import type { GroupView } from './world/group.js'

export interface EmulatorOptions {
  port?: number
  host?: string
  log?: (line: string) => void
  /** How long the emulator waits for the client to answer an IQ it sent. */
  iqTimeoutMs?: number
  /** Extra modules to install after the built-in ones: `(host) => void`. */
  extensions?: Extension[]
  /** Load emulator/signal (when present) automatically; default true. */
  signal?: boolean
}

export type Extension = (host: EmulatorHost) => void | Promise<void>

/**
 * Faults on one bot's connections (`emu.bot(phone).faults`), or, as
 * `emu.faults`, on the first bot's and on connections not logged in yet.
 * Other bots' connections are never touched.
 */
export interface Faults {
  /** Drops the bot's socket without a close frame (a network failure). */
  dropConnection(): void
  /** 515 restart required, 440 conflict (replaced), 401 logged out. */
  streamError(code: 515 | 440 | 401): void
  /**
   * The bot's connection goes silent: no packet either way and no close, as
   * when a network path dies. It stays so until the bot reconnects.
   */
  silence(): void
  delayIq(match: IqMatch, ms: number): void
  /** Matching IQs are neither handled nor answered. */
  swallowIq(match: IqMatch): void
  /**
   * The connection fails just as the bot sends its next `message` (the
   * message is lost: WhatsApp never got it) or its next `receipt` (WhatsApp
   * never learns the bot got that message, so delivers it again on the next
   * connection). `to`: only a stanza to this contact (phone or jid) or group (jid).
   */
  dropOnNext(tag: 'message' | 'receipt', opts?: { to?: string }): void
  /** The bot's next `message` or `receipt` reaches WhatsApp, and the connection fails just after it. */
  dropAfterNext(tag: 'message' | 'receipt', opts?: { to?: string }): void
  /**
   * The bot's next `message` or `receipt` (to `to`, if given) never reaches
   * WhatsApp, while the connection stays up. Alone that cannot happen; with
   * the bot then restarted from older state, it stands for a crash between
   * sending and the bytes leaving the machine.
   */
  loseNext(tag: 'message' | 'receipt', opts?: { to?: string }): void
  /** Matching IQs are handled (a create creates the group) but never answered. */
  loseIqAnswer(match: IqMatch): void
  /** Matching IQs are handled, then the connection drops (`'drop'`) or restarts (515) instead of answering. */
  closeAfterIq(match: IqMatch, how: 'drop' | 515): void
  /** Every `op` group IQ (create, add, subject, ...) fails with this code until clear(). */
  refuseGroupOp(op: string, code: number, text?: string): void
  /** Disarms what was armed: `emu.faults.clear()` everything, a bot's only its own. */
  clear(): void
}

/** One bot account of the world, as tests hold it (`emu.bot(phone)`). */
export interface EmulatedBot {
  /** Digits only. */
  readonly phone: string
  /** `phone@s.whatsapp.net` */
  readonly jid: string
  /** `lid@lid` */
  readonly lid: string
  /** `phone:device@s.whatsapp.net` of its linked companion, once paired. */
  readonly deviceJid: string | undefined
  readonly deviceLid: string | undefined
  paired(): boolean
  /** Logged in right now. */
  connected(): boolean
  /** Faults on this bot's connection only. */
  readonly faults: Faults
}

export interface Emulator {
  readonly url: string
  /** The first bot's phone, once paired. */
  readonly botPhone?: string
  readonly host: EmulatorHost
  /**
   * The media host on 127.0.0.1 (HTTPS): `media.all()` the uploaded blobs,
   * `media.refusals` refused uploads/downloads, `media.expireAuths()`.
   */
  readonly media: MediaStore
  /**
   * Links the client showing `qr` to the account of `phone` (default
   * 15550100001): a phone the world has not seen makes a new bot account,
   * a known one gets a new companion device.
   */
  scanQr(qr: string, opts?: { phone?: string }): Promise<void>
  /**
   * Confirms the code a client asked for with `requestPairingCode(phone)`;
   * the request names its phone, so that bot is paired. `phone` is needed
   * only while clients for several phones wait for a code at once.
   */
  confirmPairingCode(code: string, opts?: { phone?: string }): Promise<void>
  /** The paired bot accounts, first paired first. */
  bots(): EmulatedBot[]
  /**
   * One bot by phone, phone jid or lid jid; with none, the first bot. A
   * phone not paired yet still gives a handle (its faults wait for it).
   */
  bot(phoneOrJid?: string): EmulatedBot
  addContact(c: { phone: string; name?: string; onGroupAdd?: GroupAddBehaviour }): Contact
  contact(phoneOrJid: string): Contact | undefined
  groups(): GroupView[]
  group(jid: string): GroupView | undefined
  /**
   * A contact creates a group with the bot in it; `admins` (phones among the
   * members) start as admins. `bots` (phones or jids) puts those bots in
   * instead of the first one; a bot named among `members` is put in too.
   */
  createGroupAs(creatorPhone: string, subject: string, members: string[], opts?: { botIsAdmin?: boolean; admins?: string[]; bots?: string[] }): GroupView
  /** A contact asks to join a group with approval on; the bot (if admin) is notified. */
  requestToJoin(groupJid: string, phoneOrJid: string): void
  /**
   * A contact adds/removes/promotes/demotes members (remove of oneself =
   * leaving). Throws IqError (403/404) when the contact may not; per-person
   * errors are in the returned node, as in the bot's own IQ reply.
   */
  participantsAs(actorPhone: string, groupJid: string, phones: string[], action: 'add' | 'remove' | 'promote' | 'demote'): BinaryNode
  /** A contact changes the group's subject and/or description. */
  updateGroupAs(actorPhone: string, groupJid: string, change: { subject?: string; description?: string }): void
  /** The first bot's faults (see {@link Faults}). */
  readonly faults: Faults
  /** Whether the first bot is logged in. */
  connected(): boolean
  stop(): Promise<void>
}
