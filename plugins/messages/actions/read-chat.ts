import { badRequest, defineAction } from 'waplug'
import type { RecentMessages } from '../recent-messages.js'
import { inWords, MESSAGE_ID, recipient } from '../sending.js'

interface Input {
  jid: string
  message_ids?: string[]
}

export const readChat = (recent: RecentMessages) =>
  defineAction<Input, { chat: string; read: string[] }>({
    name: 'read',
    summary: 'Mark messages in a chat as read (blue ticks): the ones named, or every one received lately and not read yet',
    input: {
      type: 'object',
      additionalProperties: false,
      required: ['jid'],
      properties: { jid: { type: 'string', title: 'chat', minLength: 1, maxLength: 120 }, message_ids: { type: 'array', title: 'message_ids', minItems: 1, maxItems: 500, items: MESSAGE_ID } },
    },
    http: { method: 'POST', path: '/chats/:jid/read' },
    successMessage: (data) => (data.read.length ? `Marked ${data.read.length} message${data.read.length === 1 ? '' : 's'} read` : 'Nothing to mark read'),
    failureMessage: 'Failed to mark the chat read',
    async handler(input, { whatsapp, caller }) {
      const chat = recipient(input.jid, 'chat')
      const refs = input.message_ids
        ? input.message_ids.map((id) => {
            const ref = recent.ref(caller.session, chat, id)
            if (ref.sender === undefined && chat.endsWith('@g.us')) throw badRequest(`message ${id} is not among ${recent.describe()} in this group; in a group the bot must know who wrote a message to mark it read`)
            return { ...ref, fromMe: false }
          })
        : recent.unread(caller.session, chat).map((m) => ({ id: m.id, fromMe: false, sender: m.sender }))
      try {
        await whatsapp.markRead(chat, refs)
      } catch (error) {
        throw inWords(error)
      }
      await recent.markedRead(caller.session, refs.map((ref) => ref.id))
      return { chat, read: refs.map((ref) => ref.id) }
    },
  })
