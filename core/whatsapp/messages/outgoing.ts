import type { Readable } from 'node:stream'
import type { IncomingMessage, MessageContact, MessageLocation, MessageMedia, MessagePoll } from '../types.js'

export type MediaKind = 'image' | 'video' | 'audio' | 'voice' | 'document' | 'sticker'

/**
 * A file to send: bytes, a stream (never held whole: it is encrypted on its
 * way to WhatsApp), a file on this machine, or a URL the runtime fetches
 * within `messages.media` (size, time, allowed addresses).
 */
export type MediaInput = Buffer | { stream: Readable } | { path: string } | { url: string }

/**
 * A message already sent or received, by id. `fromMe`: whether the bot wrote
 * it (default: whether it is one of the bot's recent sends); `sender`: in a
 * group, who wrote it, when it was not the bot.
 */
export interface MessageRef {
  id: string
  fromMe?: boolean
  sender?: string
}

/** What to send; every kind a person can send in WhatsApp's apps, and reactions, edits and deletes. */
export type OutgoingMessage =
  | { kind: 'text'; text: string; /** Default false: a preview fetches the page, from the bot's machine. */ linkPreview?: boolean }
  | { kind: MediaKind; media: MediaInput; caption?: string; /** Used for documents whose bytes say nothing of their type. */ mimetype?: string; fileName?: string }
  | { kind: 'location'; location: MessageLocation }
  | { kind: 'contact'; contacts: MessageContact[] }
  | { kind: 'reaction'; message: MessageRef; /** '' takes the reaction back. */ emoji: string }
  | { kind: 'poll'; poll: MessagePoll }
  | { kind: 'edit'; message: MessageRef; text: string }
  | { kind: 'delete'; message: MessageRef }

export interface SendOptions {
  /** The message this one replies to: a received message, or one named by id. */
  quoted?: IncomingMessage | MessageRef
  /** Jids to @mention; the text should carry `@<digits>` for each. */
  mentions?: string[]
  /**
   * The message's id. Sending again with the same id after a failure cannot
   * show it twice: WhatsApp clients keep one message per id. Default: a new one.
   */
  id?: string
  /** Show "typing…" (or "recording…" before a voice note) for a moment first. */
  typing?: boolean
  /**
   * Gives the send up while it waits (for its pacing slot, a media URL, the
   * typing): an action passes its `signal`, so a send that ran past the
   * action's time limit is not made after the caller was told it failed.
   */
  signal?: AbortSignal
}

/** What WhatsApp's server took; later steps (delivered, read) come as message statuses. */
export interface SentMessage {
  id: string
  chat: string
  /** Unix seconds. */
  timestamp: number
}

/** What a message's media is, and its bytes as they are downloaded and decrypted. */
export interface MediaDownload extends MessageMedia {
  stream: Readable
}

/**
 * What it takes to download a received message's media later, JSON-safe and
 * a few hundred bytes: keep it (in a plugin's store) rather than the message.
 * WhatsApp keeps the file for a limited time (about two weeks).
 */
export interface MediaRef {
  id: string
  chat: string
  media: MessageMedia
  /** The file's location and keys, encoded; opaque. */
  locator: string
}

export type Presence = 'composing' | 'recording' | 'paused' | 'available' | 'unavailable'

/** Whether a number has WhatsApp: its jid (and lid, where WhatsApp tells it). */
export interface NumberCheck {
  /** As asked. */
  input: string
  exists: boolean
  jid?: string
  lid?: string
}
