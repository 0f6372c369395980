import { defineAction, timedOut, toUserJid, WhatsAppError } from 'waplug'
import { groupsLookup, unconfirmed } from '../group-call.js'
import { GROUP_SCHEMA, toGroupData, type GroupData } from '../group-data.js'
import { withInvites } from '../invites.js'
import { PARTICIPANT_RESULT_SCHEMA, resultLines, type ParticipantResult } from '../participant-results.js'

interface Input {
  name: string
  participants?: string[]
  send_invite?: boolean
}

type Output = GroupData & { failed_participants: ParticipantResult[] }

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
        // WhatsApp's own limit on a group's members, the creator included.
        maxItems: 1023,
        items: { type: 'string', format: 'wa-user' },
      },
      send_invite: { type: 'boolean', title: 'send_invite' },
    },
  },
  output: {
    ...GROUP_SCHEMA,
    required: [...(GROUP_SCHEMA.required as string[]), 'failed_participants'],
    properties: {
      ...(GROUP_SCHEMA.properties as object),
      failed_participants: { type: 'array', items: PARTICIPANT_RESULT_SCHEMA, description: 'The people who could not be added, and why.' },
    },
  },
  http: { method: 'POST', path: '/groups' },
  chat: { command: 'creategroup', aliases: ['newgroup'], args: ['name', '...participants'] },
  check: () => 'groups',
  successMessage: 'Group created successfully',
  failureMessage: 'Failed to create group',
  async handler(input, { whatsapp, caller, logger }) {
    const own = whatsapp.me?.jid
    // The same person written two ways ("+62 812..." and "62812...@s.whatsapp.net") is one participant.
    const participants = [...new Set((input.participants ?? []).map((p) => toUserJid(p) as string))].filter((jid) => jid !== own)
    const creator = caller.transport === 'chat' && caller.jid && caller.jid !== own ? [caller.jid] : []
    const name = input.name.trim()
    const { group, failed } = await whatsapp.groups.create(name, participants.length ? participants : creator).catch((error: unknown) => {
      if (!(error instanceof WhatsAppError) || error.kind !== 'unconfirmed') throw error
      throw timedOut(`${unconfirmed(`the group "${name}" was created`)} Look for it with ${groupsLookup(caller)} before creating it again`)
    })
    const failed_participants = await withInvites(whatsapp, logger, group.jid, 'create', failed, input.send_invite === true)
    return Object.assign(toGroupData(group), { failed_participants })
  },
  reply(data) {
    const lines = [`✅ Created "${data.name}" with ${data.participant_count} ${data.participant_count === 1 ? 'member' : 'members'}`, `Group id: ${data.jid}`]
    return [...lines, ...resultLines(data.failed_participants, 'was not added')].join('\n')
  },
})
