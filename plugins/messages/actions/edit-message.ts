import { defineAction } from 'waplug'
import { MESSAGE_ID, recipient, sending, TO, type SentData } from '../sending.js'

interface Input {
  id: string
  to: string
  text: string
}

export const editMessage = defineAction<Input, SentData & { edited: string }>({
  name: 'edit',
  summary: 'Change the text of a message the bot sent (WhatsApp allows it for 15 minutes)',
  input: {
    type: 'object',
    additionalProperties: false,
    required: ['id', 'to', 'text'],
    properties: { id: MESSAGE_ID, to: TO, text: { type: 'string', title: 'text', notBlank: true, maxLength: 65536 } },
  },
  http: { method: 'PUT', path: '/messages/:id' },
  successMessage: 'Message edited',
  failureMessage: 'Failed to edit the message',
  async handler(input, { whatsapp, signal }) {
    const chat = recipient(input.to)
    const sent = await sending(() => whatsapp.send(chat, { kind: 'edit', message: { id: input.id, fromMe: true }, text: input.text }, { signal }))
    return { ...sent, edited: input.id }
  },
})
