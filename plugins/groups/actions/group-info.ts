import { defineAction, notFound, WhatsAppError } from 'waplug'
import { GROUP_JID, groupOf, thisGroup } from '../group-call.js'
import { GROUP_SCHEMA, plural, shown, toGroupData, type GroupData } from '../group-data.js'
import { someOf } from '../participant-results.js'
import { describeSettings } from '../settings-words.js'

interface Input {
  jid: string
  refresh?: boolean
}

export const groupInfo = defineAction<Input, GroupData>({
  name: 'info',
  summary: 'Show a group: name, description, owner, members and settings',
  access: 'admins',
  input: {
    type: 'object',
    additionalProperties: false,
    required: ['jid'],
    properties: { jid: GROUP_JID, refresh: { type: 'boolean', title: 'refresh' } },
  },
  output: GROUP_SCHEMA,
  errors: { 404: 'Group not found: the id is wrong, or I am not in the group.' },
  http: { method: 'GET', path: '/groups/:jid' },
  chat: { command: 'groupinfo', args: ['jid'], fromChat: thisGroup },
  successMessage: 'Group info retrieved successfully',
  failureMessage: 'Failed to get group info',
  async handler(input, { whatsapp }) {
    try {
      return toGroupData(await whatsapp.groups.info(groupOf(input), { refresh: input.refresh === true }))
    } catch (error) {
      // WhatsApp answers 404 for an unknown group, and refuses one the bot is not in.
      if (error instanceof WhatsAppError && ['not-found', 'not-member', 'not-authorized'].includes(error.kind)) throw notFound('Group not found')
      throw error
    }
  },
  reply(data) {
    const admins = data.participants.filter((p) => p.is_admin).length
    const lines = [`*${data.name}*`, data.description, `Id: ${data.jid}`, `Owner: ${data.owner ? shown(data.owner) : 'unknown'}`]
    lines.push(`Members: ${data.participant_count} (${plural(admins, 'admin')})`)
    const [admin, other] = [data.participants.filter((p) => p.is_admin), data.participants.filter((p) => !p.is_admin)]
    if (admin.length) lines.push(`Admins: ${someOf(admin.map((p) => shown(p.jid)))}`)
    if (other.length) lines.push(`Other members: ${someOf(other.map((p) => shown(p.jid)))}`)
    lines.push(`Created: ${new Date(data.created_at * 1000).toISOString().slice(0, 10)}`)
    lines.push(...describeSettings(data.settings))
    return lines.filter(Boolean).join('\n')
  },
})
