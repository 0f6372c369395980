import type { WASocket } from '@whiskeysockets/baileys'
import { recognizedAcrossCopies } from '../across-copies.js'
import type { GroupClient, GroupEvent } from './groups/group-types.js'
import type { MediaDownload, MediaRef, MessageRef, NumberCheck, OutgoingMessage, Presence, SendOptions, SentMessage } from './messages/outgoing.js'

export type ConnectionState = 'connecting' | 'pairing' | 'open' | 'closed' | 'logged-out'

export type {
  GroupClient,
  GroupCreateResult,
  GroupEvent,
  GroupInfo,
  GroupParticipant,
  GroupSettings,
  JoinRequest,
  JoinResult,
  ParticipantAction,
  ParticipantFailure,
  ParticipantOutcome,
  ParticipantsChange,
  Person,
} from './groups/group-types.js'
export { OUTCOME_UNKNOWN } from './groups/seen-changes.js'
export type { MediaDownload, MediaInput, MediaKind, MediaRef, MessageRef, NumberCheck, OutgoingMessage, Presence, SendOptions, SentMessage } from './messages/outgoing.js'

/**
 * What a message is. `voice`: a recorded voice note (`audio` is an audio
 * file); `poll_vote`: someone voted in a poll (the choice stays encrypted);
 * `edit`: someone changed the text of an earlier message (`text` is the new
 * one); `delete`: someone deleted an earlier message for everyone.
 */
export type MessageKind = 'text' | 'image' | 'video' | 'audio' | 'voice' | 'document' | 'sticker' | 'location' | 'contact' | 'reaction' | 'poll' | 'poll_vote' | 'edit' | 'delete'

/** The earlier message an edit, a deletion or a vote is about. */
export interface MessageTarget {
  message_id: string
}

/** What WhatsApp tells of a media message's file; the file itself is not downloaded. */
export interface MessageMedia {
  mimetype: string
  /** Bytes. */
  size?: number
  file_name?: string
  /** Audio and video length. */
  seconds?: number
  width?: number
  height?: number
}

/** The message a message replies to. */
export interface QuotedMessage {
  id: string
  /** Who wrote the quoted message: a phone jid where known, else a lid. */
  sender?: string
}

export interface MessageLocation {
  latitude: number
  longitude: number
  name?: string
  address?: string
}

/** One contact card. */
export interface MessageContact {
  name: string
  vcard: string
}

export interface MessageReaction {
  /** '' when the reaction was taken back. */
  emoji: string
  /** The message reacted to. */
  message_id: string
}

export interface MessagePoll {
  name: string
  options: string[]
  /** How many options one person may pick (0: any number). */
  selectable: number
}

export interface IncomingMessage {
  /** The session whose number received it; set on every message plugins hear. */
  session?: string
  id: string
  chat: string
  /** Who wrote it: a phone jid where known, else a lid. */
  sender: string
  fromMe: boolean
  kind: MessageKind
  /** The text, a media's caption, a reaction's emoji or a poll's question; '' for none. */
  text: string
  /** image, video, audio, voice, document and sticker. */
  media?: MessageMedia
  /** Set when the message quotes another. */
  quoted?: QuotedMessage
  location?: MessageLocation
  /** One or more contact cards. */
  contacts?: MessageContact[]
  reaction?: MessageReaction
  poll?: MessagePoll
  /** `edit`, `delete` and `poll_vote`: the message edited, deleted or voted in (the poll). */
  target?: MessageTarget
  /** Jids @mentioned in the message. */
  mentions: string[]
  /** Unix seconds. */
  timestamp: number
  isGroup: boolean
  /**
   * It waited for the bot on WhatsApp's server while the bot was offline (a
   * reconnect, a restart) rather than arriving live; see `chat.backlogSeconds`.
   */
  backlog: boolean
  pushName?: string
  /** The Baileys message, for quoting and for plugins that need more. */
  raw: unknown
}

/**
 * How far a message the bot sent got: `sent` (WhatsApp's server has it),
 * `delivered` (on the recipient's phone), `read`, `played` (a voice note
 * listened to), `failed` (WhatsApp refused it). In groups each member's
 * receipt comes on its own, with `recipient`.
 */
export interface MessageStatus {
  /** The sent message's id. */
  id: string
  chat: string
  /** In groups: the member it was delivered to or read by, a phone jid where known, else a lid. */
  recipient?: string
  status: 'sent' | 'delivered' | 'read' | 'played' | 'failed'
  /** Unix seconds. */
  timestamp: number
}

/** One session's WhatsApp connection. */
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
  /**
   * A promise the listener returns is waited for (a few seconds at most)
   * before WhatsApp is told the message arrived: what it commits survives a
   * crash, since WhatsApp delivers again what it was not told of.
   */
  onMessage(listener: (message: IncomingMessage) => unknown): () => void
  onGroupEvent(listener: (event: GroupEvent) => void): () => void
  /** How far the messages the bot sent got; each step once, in the order WhatsApp reports them. */
  onMessageStatus(listener: (status: MessageStatus) => void): () => void
  /** Every group operation, paced, and answered from the group cache where it can be. */
  readonly groups: GroupClient
  /**
   * Sends any kind of message; resolves once WhatsApp's server has taken it.
   * Every send of a session is paced (`messages.pacing`); one that would
   * wait too long fails at once with a 'rate-limited' WhatsAppError.
   */
  send(chat: string, message: OutgoingMessage, options?: SendOptions): Promise<SentMessage>
  /** `send(chat, { kind: 'text', text }, options)`. */
  sendText(chat: string, text: string, options?: SendOptions): Promise<SentMessage>
  /** Tells the senders their messages were read (blue ticks). */
  markRead(chat: string, messages: MessageRef[]): Promise<void>
  /** Shows "typing…" or "recording…" in a chat (`paused` ends it), or the bot online or not. */
  sendPresence(chat: string, presence: Presence): Promise<void>
  /** Which of these phone numbers have WhatsApp. */
  checkNumbers(phones: string[]): Promise<NumberCheck[]>
  /** A received message's file, decrypted as it is downloaded. */
  downloadMedia(message: IncomingMessage | MediaRef): Promise<MediaDownload>
  logout(): Promise<void>
  start(): Promise<void>
  stop(): Promise<void>
}

/**
 * `unconfirmed`: a change went out and its answer never came, and nothing
 * looked at since shows whether it happened: it may have. Its message is
 * written for the person who asked.
 */
export type WhatsAppErrorKind = 'not-connected' | 'timeout' | 'unconfirmed' | 'rate-limited' | 'not-authorized' | 'not-member' | 'not-found' | 'failed'

/** A failure of WhatsApp, not of the caller; the invoke pipeline turns it into 503/504/429/404/500. */
export class WhatsAppError extends Error {
  /** Rate limits: when it makes sense to try again. */
  readonly retryAfterSeconds: number | undefined

  constructor(
    readonly kind: WhatsAppErrorKind,
    message: string,
    readonly code?: number,
    options?: { cause?: unknown; retryAfterSeconds?: number },
  ) {
    super(message, options)
    this.retryAfterSeconds = options?.retryAfterSeconds
    this.name = 'WhatsAppError'
  }
}
recognizedAcrossCopies(WhatsAppError, 'WhatsAppError')
