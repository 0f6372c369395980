import { badRequest, defineAction, type GroupSettings } from 'waplug'
import { checkGroup, GROUP_ERRORS, GROUP_JID, groupLookup, groupOf, onGroup, thisGroup } from '../group-call.js'
import { SETTINGS_SCHEMA, toSettingsData, type SettingsData } from '../group-data.js'
import { describeSettings, DISAPPEARING, parseSettingWords, SETTINGS_USAGE } from '../settings-words.js'

type Input = { jid: string } & Partial<SettingsData>

const NAMES: Record<keyof SettingsData, keyof GroupSettings> = {
  only_admins_send: 'onlyAdminsSend',
  only_admins_edit: 'onlyAdminsEdit',
  only_admins_add: 'onlyAdminsAdd',
  join_approval: 'joinApproval',
  disappearing_seconds: 'disappearingSeconds',
}

const toggle = (title: string) => ({ type: 'boolean', title })

export const groupSettings = defineAction<Input, { jid: string; settings: SettingsData }>({
  name: 'settings',
  summary: 'Change who may send, edit and add, join approval, and disappearing messages',
  access: 'admins',
  input: {
    type: 'object',
    additionalProperties: false,
    required: ['jid'],
    properties: {
      jid: GROUP_JID,
      only_admins_send: toggle('only_admins_send'),
      only_admins_edit: toggle('only_admins_edit'),
      only_admins_add: toggle('only_admins_add'),
      join_approval: toggle('join_approval'),
      disappearing_seconds: { type: 'integer', title: 'disappearing_seconds', enum: Object.values(DISAPPEARING) },
    },
  },
  output: { type: 'object', required: ['jid', 'settings'], properties: { jid: { type: 'string' }, settings: SETTINGS_SCHEMA } },
  errors: { ...GROUP_ERRORS, 400: 'No setting was named.' },
  http: { method: 'PUT', path: '/groups/:jid/settings' },
  chat: { command: 'settings', parse: parseSettingWords, usage: SETTINGS_USAGE, fromChat: thisGroup },
  check: checkGroup,
  successMessage: 'Group settings changed',
  failureMessage: 'Failed to change the group settings',
  async handler(input, { whatsapp, caller }) {
    const jid = groupOf(input)
    const change: Partial<GroupSettings> = {}
    for (const [key, name] of Object.entries(NAMES) as [keyof SettingsData, keyof GroupSettings][]) {
      if (input[key] !== undefined) Object.assign(change, { [name]: input[key] })
    }
    if (Object.keys(change).length === 0) throw badRequest(`Name at least one setting to change: ${Object.keys(NAMES).join(', ')}`)
    const settings = await onGroup(() => whatsapp.groups.updateSettings(jid, change), groupLookup(caller, jid))
    return { jid, settings: toSettingsData(settings) }
  },
  reply: (data) => ['✅ Settings changed', ...describeSettings(data.settings)].join('\n'),
})
