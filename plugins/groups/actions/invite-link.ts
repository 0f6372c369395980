import { defineAction } from 'waplug'
import { GROUP_ERRORS, GROUP_JID, groupOf, onGroup, thisGroup } from '../group-call.js'

interface Invite {
  jid: string
  code: string
  link: string
}

const INVITE_LINK = 'https://chat.whatsapp.com/'
const invite = (jid: string, code: string): Invite => ({ jid, code, link: `${INVITE_LINK}${code}` })
const output = {
  type: 'object',
  required: ['jid', 'code', 'link'],
  properties: { jid: { type: 'string' }, code: { type: 'string' }, link: { type: 'string', examples: ['https://chat.whatsapp.com/AbCdEf123456'] } },
}
const input = { type: 'object', additionalProperties: false, required: ['jid'], properties: { jid: GROUP_JID } }

export const getInvite = defineAction<{ jid: string }, Invite>({
  name: 'invite',
  summary: "Show a group's invite link",
  access: 'admins',
  input,
  output,
  errors: GROUP_ERRORS,
  http: { method: 'GET', path: '/groups/:jid/invite' },
  chat: { command: 'invite', aliases: ['link'], args: ['jid'], fromChat: thisGroup },
  successMessage: 'Invite link retrieved',
  failureMessage: 'Failed to get the invite link',
  async handler(input, { whatsapp }) {
    const jid = groupOf(input)
    return invite(jid, await onGroup(() => whatsapp.groups.inviteCode(jid)))
  },
  reply: (data) => data.link,
})

export const revokeInvite = defineAction<{ jid: string }, Invite>({
  name: 'revoke',
  summary: "Revoke a group's invite link and make a new one",
  access: 'admins',
  input,
  output,
  errors: GROUP_ERRORS,
  http: { method: 'POST', path: '/groups/:jid/invite/revoke' },
  chat: { command: 'revoke', args: ['jid'], fromChat: thisGroup },
  check: ({ jid }) => (jid ? `invite ${jid}` : 'groups'),
  confirm: () => 'Revoke the invite link? Anyone holding the old link will no longer be able to join.',
  successMessage: 'Invite link revoked; a new one was made',
  failureMessage: 'Failed to revoke the invite link',
  async handler(input, { whatsapp, caller }) {
    const jid = groupOf(input)
    // The new link is the only thing to look at: if the old one was revoked, this shows the new one.
    const lookup = caller.transport === 'http' ? `GET /groups/${jid}/invite` : `!invite ${jid}`
    return invite(jid, await onGroup(() => whatsapp.groups.revokeInvite(jid), lookup))
  },
  reply: (data) => `✅ The old link no longer works. The new one:\n${data.link}`,
})
