import { conflict, defineAction, notFound, WhatsAppError } from 'waplug'
import { GROUP_SUMMARY_SCHEMA, plural, toGroupData, type GroupData } from '../group-data.js'

/** What people paste: the link, the link without https, or the bare code. */
const INVITE = '^(?:(?:https?://)?chat\\.whatsapp\\.com/)?([\\w-]{6,40})/?$'
const codeOf = (invite: string): string => new RegExp(INVITE).exec(invite.trim())?.[1] ?? invite
const INVITE_SCHEMA = { type: 'string', title: 'Invite link', pattern: INVITE, description: 'a link like https://chat.whatsapp.com/AbCdEf123456, or its code' }

/** An unknown or revoked code is WhatsApp's 406; being a member already, its 409. */
async function byInvite<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call()
  } catch (error) {
    if (error instanceof WhatsAppError && error.kind === 'not-found') throw notFound('This invite link is invalid, expired or was revoked')
    if (error instanceof WhatsAppError && error.code === 409) throw conflict('I am already in this group')
    throw error
  }
}

type Preview = Omit<GroupData, 'participants'>

export const previewInvite = defineAction<{ code: string }, Preview>({
  name: 'invite-preview',
  summary: 'Show the group an invite link leads to, without joining',
  input: { type: 'object', additionalProperties: false, required: ['code'], properties: { code: INVITE_SCHEMA } },
  output: GROUP_SUMMARY_SCHEMA,
  errors: { 404: 'The invite link is invalid, expired or was revoked.' },
  http: { method: 'GET', path: '/groups/invite/:code' },
  chat: { command: 'preview', args: ['code'], usage: 'preview <link>' },
  successMessage: 'Invite preview retrieved',
  failureMessage: 'Failed to read the invite link',
  async handler(input, { whatsapp }) {
    const { participants: _members, ...group } = toGroupData(await byInvite(() => whatsapp.groups.inviteInfo(codeOf(input.code))))
    return group
  },
  reply: (data) => [`*${data.name}*`, data.description, `${plural(data.participant_count, 'member')} · ${data.jid}`].filter(Boolean).join('\n'),
})

export const joinGroup = defineAction<{ invite: string }, { jid: string; pending: boolean }>({
  name: 'join',
  summary: 'Make me join a group by its invite link',
  input: { type: 'object', additionalProperties: false, required: ['invite'], properties: { invite: INVITE_SCHEMA } },
  output: {
    type: 'object',
    required: ['jid', 'pending'],
    properties: { jid: { type: 'string' }, pending: { type: 'boolean', description: 'The group approves new members: an admin must let me in.' } },
  },
  errors: { 404: 'The invite link is invalid, expired or was revoked.', 409: 'I am already in this group.' },
  http: { method: 'POST', path: '/groups/join' },
  chat: { command: 'join', args: ['invite'], usage: 'join <link>' },
  check: () => 'groups',
  successMessage: (data) => (data.pending ? 'Asked to join; an admin of the group must approve' : 'Joined the group'),
  failureMessage: 'Failed to join the group',
  async handler(input, { whatsapp }) {
    const result = await byInvite(() => whatsapp.groups.join(codeOf(input.invite)))
    return { jid: result.jid, pending: result.pending }
  },
  reply: (data) => (data.pending ? `⏳ Asked to join ${data.jid}; an admin must approve` : `✅ Joined ${data.jid}`),
})

