import { defineAction, toUserJid } from 'waplug'
import { toFailedParticipants, toGroupData, type FailedParticipant, type GroupData } from '../group-data.js'

interface Input {
  name: string
  participants?: string[]
}

type Output = GroupData & { failed_participants: FailedParticipant[] }

/** WhatsApp's own limit on a group's members, the creator included. */
const MAX_PARTICIPANTS = 1023

export const createGroup = defineAction<Input, Output>({
  name: 'create',
  summary: 'Create a group with the given participants',
  input: {
    type: 'object',
    additionalProperties: false,
    required: ['name'],
    properties: {
      name: { type: 'string', title: 'Group name', notBlank: true, maxLength: 100 },
      participants: {
        type: 'array',
        title: 'participants',
        maxItems: MAX_PARTICIPANTS,
        items: { type: 'string', format: 'wa-user' },
      },
    },
  },
  http: { method: 'POST', path: '/groups' },
  chat: { command: 'creategroup', aliases: ['newgroup'], args: ['name', '...participants'] },
  successMessage: 'Group created successfully',
  failureMessage: 'Failed to create group',
  async handler(input, { whatsapp, caller }) {
    const own = whatsapp.me?.jid
    // The same person written two ways ("+62 812..." and "62812...@s.whatsapp.net") is one participant.
    const participants = [...new Set((input.participants ?? []).map((p) => toUserJid(p) as string))].filter((jid) => jid !== own)
    const creator = caller.transport === 'chat' && caller.jid && caller.jid !== own ? [caller.jid] : []
    const { group, failed } = await whatsapp.groups.create(input.name.trim(), participants.length ? participants : creator)
    return { ...toGroupData(group), failed_participants: toFailedParticipants(failed) }
  },
  reply(data) {
    const lines = [`✅ Created "${data.name}" with ${data.participant_count} ${data.participant_count === 1 ? 'member' : 'members'}`, `Group id: ${data.jid}`]
    for (const failed of data.failed_participants) lines.push(`• ${failed.jid.split('@')[0]} was not added: ${failed.reason}`)
    return lines.join('\n')
  },
})
