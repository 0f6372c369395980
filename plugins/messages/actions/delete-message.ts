import { defineAction } from 'waplug'
import { MESSAGE_ID, recipient, sending, TO, type SentData } from '../sending.js'

interface Input {
  id: string
  to: string
  sender?: string
}

export const deleteMessage = defineAction<Input, SentData & { deleted: string }>({
  name: 'delete',
  summary: "Delete a message for everyone: the bot's own, or, as a group admin, a member's",
  input: {
    type: 'object',
    additionalProperties: false,
    required: ['id', 'to'],
    properties: { id: MESSAGE_ID, to: TO, sender: { type: 'string', title: 'sender', maxLength: 120 } },
  },
  http: { method: 'DELETE', path: '/messages/:id' },
  successMessage: 'Message deleted for everyone',
  failureMessage: 'Failed to delete the message',
  async handler(input, { whatsapp, signal }) {
    const chat = recipient(input.to)
    const message = input.sender ? { id: input.id, fromMe: false, sender: recipient(input.sender, 'sender') } : { id: input.id, fromMe: true }
    const sent = await sending(() => whatsapp.send(chat, { kind: 'delete', message }, { signal }))
    return { ...sent, deleted: input.id }
  },
})
