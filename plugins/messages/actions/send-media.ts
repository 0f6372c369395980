import { badRequest, defineAction, type MediaKind } from 'waplug'
import type { RecentMessages } from '../recent-messages.js'
import { MENTIONS, mentionsOf, recipient, REPLY_TO, sending, TO, TYPING, type SentData } from '../sending.js'

interface Input {
  to: string
  kind: MediaKind
  url?: string
  base64?: string
  caption?: string
  file_name?: string
  mimetype?: string
  mentions?: string[]
  reply_to?: string
  typing?: boolean
}

const KINDS: MediaKind[] = ['image', 'video', 'audio', 'voice', 'document', 'sticker']
const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/

export const sendMedia = (recent: RecentMessages) =>
  defineAction<Input, SentData & { kind: MediaKind }>({
    name: 'media',
    summary: 'Send an image, video, audio file, voice note, document or sticker, from a URL or base64',
    input: {
      type: 'object',
      additionalProperties: false,
      required: ['to', 'kind'],
      properties: {
        to: TO,
        kind: { type: 'string', title: 'kind', enum: KINDS },
        url: { type: 'string', title: 'url', minLength: 1, maxLength: 4096 },
        base64: { type: 'string', title: 'base64', minLength: 1 },
        caption: { type: 'string', title: 'caption', maxLength: 4096 },
        file_name: { type: 'string', title: 'file_name', minLength: 1, maxLength: 255 },
        mimetype: { type: 'string', title: 'mimetype', pattern: '^[a-z]+/[a-zA-Z0-9.+-]+$', maxLength: 255 },
        mentions: MENTIONS,
        reply_to: REPLY_TO,
        typing: TYPING,
      },
    },
    http: { method: 'POST', path: '/messages/media' },
    successMessage: (data) => `${data.kind[0]?.toUpperCase()}${data.kind.slice(1)} sent`,
    failureMessage: 'Failed to send the media',
    async handler(input, { whatsapp, caller, signal }) {
      const chat = recipient(input.to)
      if (Boolean(input.url) === Boolean(input.base64)) throw badRequest('give the file either as url or as base64, one of the two')
      if (input.caption && (input.kind === 'audio' || input.kind === 'voice' || input.kind === 'sticker')) throw badRequest(`a ${input.kind} has no caption in WhatsApp; leave caption out`)
      let media: Buffer | { url: string }
      if (input.url) media = { url: input.url }
      else {
        const text = (input.base64 ?? '').replace(/^data:[^,]*;base64,/, '').replace(/\s/g, '')
        if (!BASE64.test(text)) throw badRequest('base64 is not base64: give the file\'s bytes base64-encoded (a data: URL prefix is fine)')
        media = Buffer.from(text, text.includes('-') || text.includes('_') ? 'base64url' : 'base64')
      }
      const mentions = mentionsOf(input.caption, input.mentions)
      const sent = await sending(() =>
        whatsapp.send(
          chat,
          { kind: input.kind, media, ...(input.caption ? { caption: input.caption } : {}), ...(input.mimetype ? { mimetype: input.mimetype } : {}), ...(input.file_name ? { fileName: input.file_name } : {}) },
          {
            ...(mentions.length ? { mentions } : {}),
            ...(input.reply_to ? { quoted: recent.ref(caller.session, chat, input.reply_to) } : {}),
            ...(input.typing ? { typing: true } : {}),
            signal,
          },
        ),
      )
      return { ...sent, kind: input.kind }
    },
  })
