// The emulator's public shape: what tests and the sandbox program against.
import type { EmulatorHost } from './server/host.js'
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
   * connection). `to`: only a stanza to this contact (phone or jid).
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
  clear(): void
}

export interface Emulator {
  readonly url: string
  readonly botPhone?: string
  readonly host: EmulatorHost
  scanQr(qr: string, opts?: { phone?: string }): Promise<void>
  confirmPairingCode(code: string): Promise<void>
  addContact(c: { phone: string; name?: string; onGroupAdd?: GroupAddBehaviour }): Contact
  contact(phoneOrJid: string): Contact | undefined
  groups(): GroupView[]
  group(jid: string): GroupView | undefined
  /** A contact creates a group with the bot in it; `admins` (phones among the members) start as admins. */
  createGroupAs(creatorPhone: string, subject: string, members: string[], opts?: { botIsAdmin?: boolean; admins?: string[] }): GroupView
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
  readonly faults: Faults
  connected(): boolean
  stop(): Promise<void>
}
