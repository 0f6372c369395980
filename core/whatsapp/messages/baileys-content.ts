import { createReadStream } from 'node:fs'
import type { Readable } from 'node:stream'
import type { AnyMessageContent, WAMediaUpload, WAMessage, WAMessageKey } from '@whiskeysockets/baileys'
import { badRequest } from '../../errors.js'
import { quotable } from '../incoming-message.js'
import { isGroupJid } from '../jids.js'
import type { IncomingMessage } from '../types.js'
import { fetchMedia, MediaLimit, tooLarge, type MediaFetchLimits } from './media-fetch.js'
import { mimetypeOfBuffer, mimetypeOfStream } from './media-type.js'
import type { MediaInput, MediaKind, MessageRef, OutgoingMessage, SendOptions } from './outgoing.js'

export interface Prepared {
  content: AnyMessageContent
  /** The media stream's guard, whose failure is the send's when the stream broke. */
  limit?: MediaLimit
  /** Ends what was opened (a fetch, a file) when the message is not sent after all. */
  discard(): void
}

export interface ContentContext {
  chat: string
  limits: MediaFetchLimits
  /** Whether the bot sent a message with this id lately. */
  isOwn(id: string): boolean
  /** Ends a media URL's fetch when the send is given up. */
  signal?: AbortSignal
  /** Builds a link preview for a text's first URL; undefined when none can be made. */
  preview?(text: string): Promise<{ 'canonical-url': string; 'matched-text': string; title: string; description?: string } | undefined>
}

/** The key of a message another one refers to (a reaction, an edit, a delete, a quote). */
export function keyOf(chat: string, ref: MessageRef, fromMe: boolean): WAMessageKey {
  return { remoteJid: chat, id: ref.id, fromMe, ...(!fromMe && ref.sender && isGroupJid(chat) ? { participant: ref.sender } : {}) }
}

export function quotedOf(chat: string, quoted: IncomingMessage | MessageRef, isOwn: (id: string) => boolean): WAMessage {
  if ('raw' in quoted && 'kind' in quoted) return quotable(quoted)
  const ref = quoted
  return { key: keyOf(chat, ref, ref.fromMe ?? isOwn(ref.id)), message: { conversation: '' } }
}

/** The Baileys content for a message, media fetched (a URL) and checked (every source) on the way. */
export async function prepare(message: OutgoingMessage, options: SendOptions, context: ContentContext): Promise<Prepared> {
  const mentions = options.mentions?.length ? { mentions: options.mentions } : {}
  const plain = (content: AnyMessageContent): Prepared => ({ content, discard: () => undefined })
  switch (message.kind) {
    case 'text': {
      const linkPreview = message.linkPreview ? ((await context.preview?.(message.text)) ?? null) : null
      return plain({ text: message.text, linkPreview, ...mentions })
    }
    case 'location': {
      const { latitude, longitude, name, address } = message.location
      return plain({ location: { degreesLatitude: latitude, degreesLongitude: longitude, ...(name ? { name } : {}), ...(address ? { address } : {}) } })
    }
    case 'contact': {
      if (!message.contacts.length) throw badRequest('give at least one contact card')
      const cards = message.contacts.map((card) => ({ displayName: card.name, vcard: card.vcard }))
      return plain({ contacts: { displayName: cards.length === 1 ? (cards[0]?.displayName ?? '') : `${cards.length} contacts`, contacts: cards } })
    }
    case 'reaction':
      return plain({ react: { text: message.emoji, key: keyOf(context.chat, message.message, message.message.fromMe ?? context.isOwn(message.message.id)) } })
    case 'poll': {
      const { name, options: values, selectable } = message.poll
      return plain({ poll: { name, values, selectableCount: selectable } })
    }
    case 'edit':
      // Only one's own messages can be edited.
      return plain({ text: message.text, edit: keyOf(context.chat, message.message, true), ...mentions })
    case 'delete': {
      const { message: ref } = message
      // Someone else's message can be deleted only by a group admin, who names its sender.
      return plain({ delete: keyOf(context.chat, ref, ref.fromMe ?? !ref.sender) })
    }
    default:
      return media(message.kind, message, mentions, context)
  }
}

interface MediaMessage {
  media: MediaInput
  caption?: string
  mimetype?: string
  fileName?: string
}

async function media(kind: MediaKind, message: MediaMessage, mentions: { mentions?: string[] }, context: ContentContext): Promise<Prepared> {
  const { maxBytes } = context.limits
  let upload: WAMediaUpload
  let mimetype: string
  let fileName = message.fileName
  let limit: MediaLimit | undefined
  /** Streams to end when the message does not go out. */
  const opened: Readable[] = []
  const source = message.media
  if (Buffer.isBuffer(source)) {
    if (source.length > maxBytes) throw tooLarge(maxBytes)
    if (!source.length) throw badRequest(`the ${kind} is empty`)
    mimetype = await mimetypeOfBuffer(kind, source, message.mimetype)
    upload = source
  } else {
    let stream: Readable
    let declared = message.mimetype
    if ('url' in source) {
      const fetched = await fetchMedia(source.url, context.limits, context.signal)
      stream = fetched.stream
      limit = fetched.limit
      declared ??= fetched.mimetype
      fileName ??= fetched.fileName
      opened.push(stream)
    } else {
      const input = 'path' in source ? createReadStream(source.path) : source.stream
      const guard = new MediaLimit(maxBytes, 'the file')
      input.on('error', (error: Error) => guard.destroy(error))
      stream = input.pipe(guard)
      limit = guard
      opened.push(input, guard)
    }
    try {
      const sniffed = await mimetypeOfStream(kind, stream, declared)
      mimetype = sniffed.mimetype
      upload = { stream: sniffed.stream }
      opened.push(sniffed.stream)
    } catch (error) {
      for (const open of opened) open.destroy()
      throw limit?.failure ?? error
    }
  }
  const caption = message.caption ? { caption: message.caption } : {}
  const discard = () => {
    for (const open of opened) open.destroy()
  }
  const content = contentFor(kind, upload, mimetype, caption, fileName, mentions)
  return { content, ...(limit ? { limit } : {}), discard }
}

function contentFor(kind: MediaKind, upload: WAMediaUpload, mimetype: string, caption: { caption?: string }, fileName: string | undefined, mentions: { mentions?: string[] }): AnyMessageContent {
  switch (kind) {
    case 'image':
      return { image: upload, mimetype, ...caption, ...mentions }
    case 'video':
      return { video: upload, mimetype, ...caption, ...mentions }
    case 'audio':
      return { audio: upload, mimetype, ptt: false }
    case 'voice':
      return { audio: upload, mimetype, ptt: true }
    case 'sticker':
      return { sticker: upload, mimetype }
    case 'document':
      return { document: upload, mimetype, fileName: fileName || 'file', ...caption, ...mentions }
  }
}
