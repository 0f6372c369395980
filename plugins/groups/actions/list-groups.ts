import { defineAction } from 'waplug'
import { GROUP_SUMMARY_SCHEMA, plural, toGroupData, type GroupData } from '../group-data.js'

interface Input {
  participants?: boolean
  refresh?: boolean
}

type Summary = Omit<GroupData, 'participants'> & { participants?: GroupData['participants'] }

export const listGroups = defineAction<Input, Summary[]>({
  name: 'list',
  summary: 'List the groups I am in, with their member counts',
  input: {
    type: 'object',
    additionalProperties: false,
    properties: {
      participants: { type: 'boolean', title: 'participants' },
      refresh: { type: 'boolean', title: 'refresh' },
    },
  },
  output: { type: 'array', items: GROUP_SUMMARY_SCHEMA, description: 'Sorted by name; each with its members when `participants` is true.' },
  http: { method: 'GET', path: '/groups' },
  // `participants` only changes the JSON, so chat's usage leaves it out.
  chat: { command: 'groups', usage: 'groups [--refresh]' },
  successMessage: (groups) => `Found ${plural(groups.length, 'group')}`,
  failureMessage: 'Failed to list groups',
  // Answered from the group cache; `refresh` asks WhatsApp again, in one call for all groups.
  async handler(input, { whatsapp }) {
    const groups = await whatsapp.groups.list({ refresh: input.refresh === true })
    return groups
      .map(toGroupData)
      .sort((a, b) => a.name.localeCompare(b.name))
      .map(({ participants, ...group }) => (input.participants ? { ...group, participants } : group))
  },
  reply(groups) {
    if (groups.length === 0) return 'I am not in any group yet.'
    return [`I am in ${plural(groups.length, 'group')}:`, ...groups.map((g) => `• ${g.name} — ${plural(g.participant_count, 'member')} — ${g.jid}`)].join('\n')
  },
})
