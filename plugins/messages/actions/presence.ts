import { defineAction, type Presence } from 'waplug'
import { inWords, recipient } from '../sending.js'

interface Input {
  jid: string
  presence: Presence
}

const PRESENCES: Presence[] = ['composing', 'recording', 'paused', 'available', 'unavailable']

export const setPresence = defineAction<Input, { chat: string; presence: Presence }>({
  name: 'presence',
  summary: 'Show "typing…" or "recording…" in a chat (paused ends it), or the bot online (available) or not',
  input: {
    type: 'object',
    additionalProperties: false,
    required: ['jid', 'presence'],
    properties: { jid: { type: 'string', title: 'chat', minLength: 1, maxLength: 120 }, presence: { type: 'string', title: 'presence', enum: PRESENCES } },
  },
  http: { method: 'POST', path: '/chats/:jid/presence' },
  successMessage: 'Presence sent',
  failureMessage: 'Failed to send the presence',
  async handler(input, { whatsapp }) {
    const chat = recipient(input.jid, 'chat')
    try {
      await whatsapp.sendPresence(chat, input.presence)
    } catch (error) {
      throw inWords(error)
    }
    return { chat, presence: input.presence }
  },
})
