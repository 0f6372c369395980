import { defineAction } from 'waplug'
import { GROUP_JID, groupOf, groupsLookup, onGroup, thisGroup } from '../group-call.js'

const FAREWELL = '👋 Leaving the group. An admin can add me back any time.'

export const leaveGroup = defineAction<{ jid: string }, { jid: string; said_goodbye?: boolean }>({
  name: 'leave',
  summary: 'Make me leave a group',
  input: { type: 'object', additionalProperties: false, required: ['jid'], properties: { jid: GROUP_JID } },
  output: {
    type: 'object',
    required: ['jid'],
    properties: { jid: { type: 'string' }, said_goodbye: { type: 'boolean', description: 'Asked from inside the group: I said goodbye there first.' } },
  },
  errors: { 404: 'Group not found: the id is wrong, or I am not in the group.' },
  http: { method: 'POST', path: '/groups/:jid/leave' },
  chat: { command: 'leave', args: ['jid'], fromChat: thisGroup },
  check: () => 'groups',
  confirm: () => 'Leave this group? Only an admin can add me back.',
  successMessage: 'Left the group',
  failureMessage: 'Failed to leave the group',
  async handler(input, { whatsapp, caller }) {
    const jid = groupOf(input)
    // Once out, the bot can no longer write there: said from inside, the goodbye goes first.
    const inside = caller.chat === jid
    if (inside) await whatsapp.sendText(jid, FAREWELL)
    await onGroup(() => whatsapp.groups.leave(jid), groupsLookup(caller))
    return inside ? { jid, said_goodbye: true } : { jid }
  },
  reply: (data) => (data.said_goodbye ? '' : `👋 Left ${data.jid}`),
})
