import type { WASocket } from '@whiskeysockets/baileys'

export type ConnectionState = 'connecting' | 'pairing' | 'open' | 'closed' | 'logged-out'

export interface GroupParticipant {
  /** The phone-number jid when WhatsApp told us, else the lid. */
  jid: string
  lid?: string
  isAdmin: boolean
  isSuperAdmin: boolean
}

export interface GroupInfo {
  jid: string
  subject: string
  description: string
  owner?: string
  /** Unix seconds. */
  createdAt: number
  size: number
  participants: GroupParticipant[]
}

/** A participant WhatsApp did not add, with its per-participant code (403, 404, 409, ...). */
export interface ParticipantFailure {
  jid: string
  code: number
}

export interface GroupCreateResult {
  group: GroupInfo
  failed: ParticipantFailure[]
}

export interface IncomingMessage {
  id: string
  chat: string
  /** Who wrote it: a phone jid where known, else a lid. */
  sender: string
  fromMe: boolean
  text: string
  /** Jids @mentioned in the message. */
  mentions: string[]
  /** Unix seconds. */
  timestamp: number
  isGroup: boolean
  pushName?: string
  /** The Baileys message, for quoting and for plugins that need more. */
  raw: unknown
}

/** The settings of a group, in words rather than WhatsApp's flags. */
export interface GroupSettings {
  /** Only admins may send messages ("announce"). */
  onlyAdminsSend: boolean
  /** Only admins may edit the subject, description and settings ("locked"). */
  onlyAdminsEdit: boolean
  /** Only admins may add members (else every member may). */
  onlyAdminsAdd: boolean
  /** Joining by link needs an admin's approval. */
  joinApproval: boolean
  /** Disappearing messages timer in seconds; 0 when off. */
  disappearingSeconds: number
}

/** A person as events show them: the phone jid where known, the lid beside it. */
export interface Person {
  jid: string
  lid?: string
}

export type ParticipantsChange = 'joined' | 'left' | 'promoted' | 'demoted'

/** Something happened in a group the bot is in, told by WhatsApp's group notifications. */
export type GroupEvent =
  | { type: 'participants'; group: string; change: ParticipantsChange; participants: Person[]; by?: Person }
  | { type: 'updated'; group: string; subject?: string; description?: string; settings?: Partial<GroupSettings>; by?: Person }

export interface SendOptions {
  quoted?: IncomingMessage
  mentions?: string[]
}

/** The one WhatsApp connection the runtime and every plugin share. */
export interface WhatsApp {
  readonly state: ConnectionState
  readonly me: { jid: string; lid?: string } | undefined
  /** The current pairing QR, while pairing. */
  readonly qr: string | undefined
  /** The pairing code to type on the phone, while pairing by code. */
  readonly pairingCode: string | undefined
  /** The Baileys socket, for what the SDK does not cover; undefined while not connected. */
  readonly socket: WASocket | undefined
  onState(listener: (state: ConnectionState) => void): () => void
  onMessage(listener: (message: IncomingMessage) => void): () => void
  onGroupEvent(listener: (event: GroupEvent) => void): () => void
  createGroup(subject: string, participants: string[]): Promise<GroupCreateResult>
  groupInfo(jid: string): Promise<GroupInfo>
  sendText(chat: string, text: string, options?: SendOptions): Promise<void>
  logout(): Promise<void>
  start(): Promise<void>
  stop(): Promise<void>
}

export type WhatsAppErrorKind = 'not-connected' | 'timeout' | 'rate-limited' | 'not-authorized' | 'not-found' | 'failed'

/** A failure of WhatsApp, not of the caller; the invoke pipeline turns it into 503/504/429/404/500. */
export class WhatsAppError extends Error {
  constructor(
    readonly kind: WhatsAppErrorKind,
    message: string,
    readonly code?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options)
    this.name = 'WhatsAppError'
  }
}
