import { extractMessageContent, getContentType, proto, type WAMessage } from '@whiskeysockets/baileys'
import { badRequest } from '../../errors.js'
import type { IncomingMessage } from '../types.js'
import type { MediaRef } from './outgoing.js'

const MEDIA_TYPES = new Set(['imageMessage', 'videoMessage', 'ptvMessage', 'audioMessage', 'documentMessage', 'stickerMessage'])

/** The media part of a received message, thumbnails left out (they are kilobytes, and the file is what is asked for). */
function mediaPart(raw: Partial<WAMessage> | undefined): proto.IMessage | undefined {
  const inner = extractMessageContent(raw?.message)
  const type = getContentType(inner)
  if (!inner || !type || !MEDIA_TYPES.has(type)) return undefined
  const part = { ...(inner[type] as Record<string, unknown>) }
  delete part.jpegThumbnail
  delete part.contextInfo
  return { [type]: part }
}

/** What downloading the message's media later takes; undefined for a message without media (or one read back without it). */
export function mediaRefOf(message: IncomingMessage): MediaRef | undefined {
  if (!message.media) return undefined
  const part = mediaPart(message.raw as Partial<WAMessage> | undefined)
  if (!part) return undefined
  const locator = Buffer.from(proto.Message.encode(part).finish()).toString('base64')
  return { id: message.id, chat: message.chat, media: { ...message.media }, locator }
}

/** The Baileys message to download from: the one received, or one rebuilt from a MediaRef. */
export function downloadable(source: IncomingMessage | MediaRef): WAMessage {
  if ('locator' in source) {
    let message: proto.IMessage
    try {
      message = proto.Message.decode(Buffer.from(source.locator, 'base64'))
    } catch (error) {
      throw badRequest(`the media reference of message ${source.id} is damaged: ${(error as Error).message}`)
    }
    return { key: { remoteJid: source.chat, id: source.id }, message }
  }
  const raw = source.raw as Partial<WAMessage> | undefined
  const part = mediaPart(raw)
  if (!part || !source.media) throw badRequest(`message ${source.id} has no media to download${source.media ? ' (it was read back without its keys; keep a MediaRef from mediaRefOf instead)' : ''}`)
  return { key: raw?.key ?? { remoteJid: source.chat, id: source.id }, message: part }
}
