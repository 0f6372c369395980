// The protobuf a contact's phone would send for typed text, and reading the
// text back out of whatever the bot sent.
import { proto } from '@whiskeysockets/baileys'

export interface QuotedRef {
  id: string
  /** Author of the quoted message; clients show the quote under this name. */
  participant?: string
  message?: proto.IMessage
}

export interface TextOptions {
  mentions?: string[]
  quoted?: QuotedRef
}

export function textMessage(text: string, opts: TextOptions = {}): proto.IMessage {
  const mentions = opts.mentions ?? []
  // Plain `conversation` is what phones send when there is no context to carry.
  if (!mentions.length && !opts.quoted) return { conversation: text }
  const contextInfo: proto.IContextInfo = {}
  if (mentions.length) contextInfo.mentionedJid = mentions
  if (opts.quoted) {
    contextInfo.stanzaId = opts.quoted.id
    if (opts.quoted.participant) contextInfo.participant = opts.quoted.participant
    contextInfo.quotedMessage = opts.quoted.message ?? { conversation: '' }
  }
  return { extendedTextMessage: { text, contextInfo } }
}

/** Wrappers that carry the real content one level down. */
export function unwrap(message: proto.IMessage): proto.IMessage {
  const inner =
    message.ephemeralMessage?.message ??
    message.viewOnceMessage?.message ??
    message.viewOnceMessageV2?.message ??
    message.documentWithCaptionMessage?.message ??
    message.deviceSentMessage?.message
  return inner ? unwrap(inner) : message
}

export function readText(message: proto.IMessage): { text: string; quotedId?: string; mentions: string[] } {
  const m = unwrap(message)
  const ext = m.extendedTextMessage
  const context = ext?.contextInfo ?? m.imageMessage?.contextInfo ?? m.videoMessage?.contextInfo ?? m.documentMessage?.contextInfo
  const text = m.conversation ?? ext?.text ?? m.imageMessage?.caption ?? m.videoMessage?.caption ?? m.documentMessage?.caption ?? ''
  const result: { text: string; quotedId?: string; mentions: string[] } = { text, mentions: context?.mentionedJid ?? [] }
  if (context?.stanzaId) result.quotedId = context.stanzaId
  return result
}

export function encodeMessage(message: proto.IMessage): Buffer {
  return Buffer.from(proto.Message.encode(message).finish())
}

export function decodeMessage(bytes: Uint8Array): proto.IMessage {
  return proto.Message.decode(bytes)
}
