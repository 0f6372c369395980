import { defineAction } from 'waplug'
import { GROUP_JID, groupOf, onGroup, thisGroup } from '../group-call.js'

export const leaveGroup = defineAction<{ jid: string }, { jid: string }>({
  name: 'leave',
  summary: 'Make me leave a group',
  input: { type: 'object', additionalProperties: false, required: ['jid'], properties: { jid: GROUP_JID } },
  http: { method: 'POST', path: '/groups/:jid/leave' },
  chat: { command: 'leave', args: ['jid'], fromChat: thisGroup },
  confirm: () => 'Leave this group? Only an admin can add me back.',
  successMessage: 'Left the group',
  failureMessage: 'Failed to leave the group',
  async handler(input, { whatsapp }) {
    const jid = groupOf(input)
    await onGroup(() => whatsapp.groups.leave(jid))
    return { jid }
  },
  reply: () => '👋 Left the group',
})
