import { defineAction, toUserJid } from 'waplug'
import { GROUP_ERRORS, GROUP_JID, groupOf, onGroup, PARTICIPANTS, thisGroup } from '../group-call.js'
import { plural, shown, withLid } from '../group-data.js'
import { countMessage, PARTICIPANT_RESULTS_SCHEMA, resultHead, resultLines, toResult, type ParticipantResult } from '../participant-results.js'

interface RequestData {
  jid: string
  lid?: string
  requested_at: number
  method?: string
}

export const listRequests = defineAction<{ jid: string }, RequestData[]>({
  name: 'requests',
  summary: 'List the people asking to join a group',
  access: 'admins',
  input: { type: 'object', additionalProperties: false, required: ['jid'], properties: { jid: GROUP_JID } },
  output: {
    type: 'array',
    items: {
      type: 'object',
      required: ['jid', 'requested_at'],
      properties: {
        jid: { type: 'string' },
        lid: { type: 'string' },
        requested_at: { type: 'integer', description: 'Seconds since the epoch.' },
        method: { type: 'string', description: 'How they asked, as WhatsApp tells it (e.g. invite_link).' },
      },
    },
  },
  errors: GROUP_ERRORS,
  http: { method: 'GET', path: '/groups/:jid/requests' },
  chat: { command: 'requests', args: ['jid'], fromChat: thisGroup },
  successMessage: (requests) => `${plural(requests.length, 'request')} to join`,
  failureMessage: 'Failed to list the join requests',
  async handler(input, { whatsapp }) {
    const requests = await onGroup(() => whatsapp.groups.joinRequests(groupOf(input)))
    return requests.map((r) => Object.assign(withLid(r), { requested_at: r.requestedAt }, r.method ? { method: r.method } : {}))
  },
  reply(requests) {
    if (requests.length === 0) return 'Nobody is asking to join.'
    return [`${plural(requests.length, 'person', 'people')} asking to join:`, ...requests.map((r) => `• ${shown(r.jid)}`)].join('\n')
  },
})

function answer(action: 'approve' | 'reject') {
  const done = action === 'approve' ? 'Approved' : 'Rejected'
  const notDone = action === 'approve' ? 'was not approved' : 'was not rejected'
  return defineAction<{ jid: string; participants: string[] }, { jid: string; participants: ParticipantResult[] }>({
    name: action,
    summary: action === 'approve' ? 'Let people who asked join a group' : 'Turn down requests to join a group',
    access: 'admins',
    input: { type: 'object', additionalProperties: false, required: ['jid', 'participants'], properties: { jid: GROUP_JID, participants: PARTICIPANTS } },
    output: PARTICIPANT_RESULTS_SCHEMA,
    errors: GROUP_ERRORS,
    http: { method: 'POST', path: `/groups/:jid/requests/${action}` },
    chat: { command: action, args: ['jid', '...participants'], fromChat: thisGroup },
    check: ({ jid }) => (jid ? `requests ${jid}` : 'groups'),
    successMessage: (data) => countMessage(done, data.participants),
    failureMessage: `Failed to ${action} the join requests`,
    async handler(input, { whatsapp, caller }) {
      const jid = groupOf(input)
      const people = [...new Set(input.participants.map((p) => toUserJid(p) as string))]
      const lookup = caller.transport === 'http' ? `GET /groups/${jid}/requests` : `!requests ${jid}`
      const outcomes = await onGroup(() => whatsapp.groups.answerJoinRequests(jid, action, people), lookup)
      return { jid, participants: outcomes.map((o) => toResult(action, o)) }
    },
    reply: (data) => [resultHead(done, data.participants), ...resultLines(data.participants, notDone)].join('\n'),
  })
}

export const approveRequests = answer('approve')
export const rejectRequests = answer('reject')
