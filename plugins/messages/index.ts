import { definePlugin } from 'waplug'
import { checkNumbers } from './actions/check-numbers.js'
import { deleteMessage } from './actions/delete-message.js'
import { downloadMedia } from './actions/download-media.js'
import { editMessage } from './actions/edit-message.js'
import { setPresence } from './actions/presence.js'
import { readChat } from './actions/read-chat.js'
import { sendContact } from './actions/send-contact.js'
import { sendLocation } from './actions/send-location.js'
import { sendMedia } from './actions/send-media.js'
import { sendPoll } from './actions/send-poll.js'
import { sendReaction } from './actions/send-reaction.js'
import { sendText } from './actions/send-text.js'
import { RecentMessages, type Retention } from './recent-messages.js'

export default definePlugin<Retention>({
  name: 'messages',
  version: '0.1.0',
  options: {
    type: 'object',
    additionalProperties: false,
    properties: {
      // WhatsApp keeps a file for about two weeks; a week of ids is what most bots need.
      keepHours: { type: 'number', exclusiveMinimum: 0, maximum: 8760, default: 168 },
      keepCount: { type: 'integer', minimum: 1, maximum: 1000000, default: 5000 },
    },
  },
  setup(plugin) {
    const recent = new RecentMessages(plugin.store, plugin.options)
    plugin.on('message', async (message, { session }) => {
      await recent.remember(session, message)
    })
    plugin.action(sendText(recent))
    plugin.action(sendMedia(recent))
    plugin.action(sendLocation)
    plugin.action(sendContact)
    plugin.action(sendReaction(recent))
    plugin.action(sendPoll)
    plugin.action(editMessage)
    plugin.action(deleteMessage)
    plugin.action(readChat(recent))
    plugin.action(setPresence)
    plugin.action(checkNumbers)
    plugin.action(downloadMedia(recent))
  },
  async start(plugin) {
    const recent = new RecentMessages(plugin.store, plugin.options)
    for (const session of plugin.sessions.list()) await recent.prune(session.id)
  },
})
