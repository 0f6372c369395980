import { defineAction, isGroupJid, notFound, toGroupJid, WhatsAppError } from 'waplug'
import { toGroupData, type GroupData } from '../group-data.js'

interface Input {
  jid: string
}

export const groupInfo = defineAction<Input, GroupData>({
  name: 'info',
  summary: 'Show a group: name, description, owner and members',
  input: {
    type: 'object',
    additionalProperties: false,
    required: ['jid'],
    properties: {
      jid: { type: 'string', title: 'Group id', format: 'wa-group' },
    },
  },
  http: { method: 'GET', path: '/groups/:jid' },
  // In a group, `!groupinfo` means this group; elsewhere the id is needed.
  chat: { command: 'groupinfo', args: ['jid'], fromChat: (caller) => (caller.chat && isGroupJid(caller.chat) ? { jid: caller.chat } : {}) },
  successMessage: 'Group info retrieved successfully',
  failureMessage: 'Failed to get group info',
  async handler(input, { whatsapp }) {
    try {
      return toGroupData(await whatsapp.groups.info(toGroupJid(input.jid) as string))
    } catch (error) {
      // WhatsApp answers 404 for an unknown group, and refuses one the bot is not in.
      if (error instanceof WhatsAppError && (error.kind === 'not-found' || error.kind === 'not-authorized')) throw notFound('Group not found')
      throw error
    }
  },
  reply(data) {
    const admins = data.participants.filter((p) => p.is_admin).length
    const lines = [`*${data.name}*`, data.description, `Id: ${data.jid}`, `Owner: ${data.owner.split('@')[0] || 'unknown'}`]
    lines.push(`Members: ${data.participant_count} (${admins} ${admins === 1 ? 'admin' : 'admins'})`)
    lines.push(`Created: ${new Date(data.created_at * 1000).toISOString().slice(0, 10)}`)
    return lines.filter(Boolean).join('\n')
  },
})
