import { defineAction } from 'waplug'
import { checkGroup, GROUP_ERRORS, GROUP_JID, groupLookup, groupOf, onGroup, thisGroup } from '../group-call.js'

export const setSubject = defineAction<{ jid: string; subject: string }, { jid: string; name: string }>({
  name: 'subject',
  summary: "Rename a group",
  access: 'admins',
  input: {
    type: 'object',
    additionalProperties: false,
    required: ['jid', 'subject'],
    properties: { jid: GROUP_JID, subject: { type: 'string', title: 'Group name', notBlank: true, maxLength: 100 } },
  },
  output: { type: 'object', required: ['jid', 'name'], properties: { jid: { type: 'string' }, name: { type: 'string' } } },
  errors: GROUP_ERRORS,
  http: { method: 'PUT', path: '/groups/:jid/subject' },
  chat: { command: 'setname', aliases: ['rename'], args: ['jid', '...subject'], usage: 'setname [group] <name...>', fromChat: thisGroup },
  check: checkGroup,
  successMessage: 'Group name changed',
  failureMessage: 'Failed to change the group name',
  async handler(input, { whatsapp, caller }) {
    const jid = groupOf(input)
    const name = input.subject.trim()
    await onGroup(() => whatsapp.groups.setSubject(jid, name), groupLookup(caller, jid))
    return { jid, name }
  },
  reply: (data) => `✅ The group is now called "${data.name}"`,
})

export const setDescription = defineAction<{ jid: string; description: string }, { jid: string; description: string }>({
  name: 'description',
  summary: "Change a group's description (empty removes it)",
  access: 'admins',
  input: {
    type: 'object',
    additionalProperties: false,
    required: ['jid', 'description'],
    properties: { jid: GROUP_JID, description: { type: 'string', title: 'Description', maxLength: 2048 } },
  },
  output: { type: 'object', required: ['jid', 'description'], properties: { jid: { type: 'string' }, description: { type: 'string' } } },
  errors: GROUP_ERRORS,
  http: { method: 'PUT', path: '/groups/:jid/description' },
  chat: { command: 'setdesc', args: ['jid', '...description'], fromChat: thisGroup },
  check: checkGroup,
  successMessage: (data) => (data.description ? 'Group description changed' : 'Group description removed'),
  failureMessage: 'Failed to change the group description',
  async handler(input, { whatsapp, caller }) {
    const jid = groupOf(input)
    const description = input.description.trim()
    await onGroup(() => whatsapp.groups.setDescription(jid, description), groupLookup(caller, jid))
    return { jid, description }
  },
  reply: (data) => (data.description ? '✅ Description changed' : '✅ Description removed'),
})
