import { defineAction } from 'waplug'
import type { RecentMessages } from '../recent-messages.js'
import { MESSAGE_ID, recipient, sending, TO, type SentData } from '../sending.js'

interface Input {
  to: string
  message_id: string
  emoji: string
  from_me?: boolean
  sender?: string
}

export const sendReaction = (recent: RecentMessages) =>
  defineAction<Input, SentData>({
    name: 'reaction',
    summary: 'React to a message with an emoji, or take the reaction back with an empty one',
    input: {
      type: 'object',
      additionalProperties: false,
      required: ['to', 'message_id', 'emoji'],
      properties: {
        to: TO,
        message_id: MESSAGE_ID,
        // One emoji, possibly several code points (skin tones, flags, families).
        emoji: { type: 'string', title: 'emoji', maxLength: 32 },
        from_me: { type: 'boolean', title: 'from_me' },
        sender: { type: 'string', title: 'sender', maxLength: 120 },
      },
    },
    http: { method: 'POST', path: '/messages/reaction' },
    successMessage: (_data, input) => (input.emoji ? 'Reaction sent' : 'Reaction removed'),
    failureMessage: 'Failed to send the reaction',
    handler(input, { whatsapp, caller, signal }) {
      const chat = recipient(input.to)
      const known = recent.ref(caller.session, chat, input.message_id)
      const message = {
        ...known,
        ...(input.from_me === undefined ? {} : { fromMe: input.from_me }),
        ...(input.sender ? { sender: recipient(input.sender, 'sender'), fromMe: input.from_me ?? false } : {}),
      }
      return sending(() => whatsapp.send(chat, { kind: 'reaction', message, emoji: input.emoji.trim() }, { signal }))
    },
  })
