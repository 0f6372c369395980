import { defineAction } from 'waplug'
import type { RecentMessages } from '../recent-messages.js'
import { MENTIONS, mentionsOf, recipient, REPLY_TO, sending, sentReply, TO, TYPING, type SentData } from '../sending.js'

interface Input {
  to: string
  text: string
  mentions?: string[]
  reply_to?: string
  link_preview?: boolean
  typing?: boolean
}

export const sendText = (recent: RecentMessages) =>
  defineAction<Input, SentData>({
    name: 'text',
    summary: 'Send a text message to a person or a group',
    input: {
      type: 'object',
      additionalProperties: false,
      required: ['to', 'text'],
      properties: {
        to: TO,
        text: { type: 'string', title: 'text', notBlank: true, maxLength: 65536 },
        mentions: MENTIONS,
        reply_to: REPLY_TO,
        link_preview: { type: 'boolean', title: 'link_preview' },
        typing: TYPING,
      },
    },
    http: { method: 'POST', path: '/messages/text' },
    chat: { command: 'send', args: ['to', '...text'] },
    successMessage: 'Message sent',
    failureMessage: 'Failed to send the message',
    async handler(input, { whatsapp, caller, signal }) {
      const chat = recipient(input.to)
      const mentions = mentionsOf(input.text, input.mentions)
      return sending(() =>
        whatsapp.send(chat, { kind: 'text', text: input.text, linkPreview: input.link_preview === true }, {
          ...(mentions.length ? { mentions } : {}),
          ...(input.reply_to ? { quoted: recent.ref(caller.session, chat, input.reply_to) } : {}),
          ...(input.typing ? { typing: true } : {}),
          signal,
        }),
      )
    },
    reply: sentReply,
  })
