import type { GroupInfo, GroupSettings, JsonSchema, Person } from 'waplug'

export interface ParticipantData {
  jid: string
  /** Beside the phone jid, the lid WhatsApp knows them by in LID groups. */
  lid?: string
  is_admin: boolean
  is_super_admin: boolean
}

export interface SettingsData {
  only_admins_send: boolean
  only_admins_edit: boolean
  only_admins_add: boolean
  join_approval: boolean
  disappearing_seconds: number
}

/** The spec's snake_case shape of a group, with its settings. */
export interface GroupData {
  jid: string
  name: string
  description: string
  owner: string
  created_at: number
  participant_count: number
  participants: ParticipantData[]
  settings: SettingsData
}

export const withLid = (person: Person): { jid: string; lid?: string } => (person.lid ? { jid: person.jid, lid: person.lid } : { jid: person.jid })

export function toSettingsData(settings: GroupSettings): SettingsData {
  return {
    only_admins_send: settings.onlyAdminsSend,
    only_admins_edit: settings.onlyAdminsEdit,
    only_admins_add: settings.onlyAdminsAdd,
    join_approval: settings.joinApproval,
    disappearing_seconds: settings.disappearingSeconds,
  }
}

export function toGroupData(group: GroupInfo): GroupData {
  return {
    jid: group.jid,
    name: group.subject,
    description: group.description,
    owner: group.owner ?? '',
    created_at: group.createdAt,
    participant_count: group.participants.length || group.size,
    // Written out: spread from withLid() it took V8's slow path (about 1 µs a member), and added to it with
    // Object.assign it costs five times this. Every member of every group listed passes here.
    participants: group.participants.map((p) =>
      p.lid ? { jid: p.jid, lid: p.lid, is_admin: p.isAdmin, is_super_admin: p.isSuperAdmin } : { jid: p.jid, is_admin: p.isAdmin, is_super_admin: p.isSuperAdmin },
    ),
    settings: toSettingsData(group.settings),
  }
}

/** A phone number for people to read (its digits), or the lid when that is all there is. */
export function shown(jid: string): string {
  const [user = jid, server] = jid.split('@')
  return server === 's.whatsapp.net' ? user : jid
}

export const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`

/** The output schemas of the shapes above, for the API reference. */
export const PARTICIPANT_SCHEMA: JsonSchema = {
  type: 'object',
  required: ['jid', 'is_admin', 'is_super_admin'],
  properties: {
    jid: { type: 'string', examples: ['6281234567890@s.whatsapp.net'] },
    lid: { type: 'string', description: 'The lid WhatsApp knows them by in groups that hide numbers.' },
    is_admin: { type: 'boolean' },
    is_super_admin: { type: 'boolean', description: "The group's creator." },
  },
}

export const SETTINGS_SCHEMA: JsonSchema = {
  type: 'object',
  required: ['only_admins_send', 'only_admins_edit', 'only_admins_add', 'join_approval', 'disappearing_seconds'],
  properties: {
    only_admins_send: { type: 'boolean' },
    only_admins_edit: { type: 'boolean', description: 'Only admins may change the name, description and picture.' },
    only_admins_add: { type: 'boolean' },
    join_approval: { type: 'boolean', description: 'People who join by link wait for an admin.' },
    disappearing_seconds: { type: 'integer', minimum: 0, description: 'How long messages stay; 0: for ever.' },
  },
}

const GROUP_PROPERTIES = {
  jid: { type: 'string', examples: ['120363123456789012@g.us'] },
  name: { type: 'string' },
  description: { type: 'string' },
  owner: { type: 'string', description: "Who created it; empty when WhatsApp does not say." },
  created_at: { type: 'integer', description: 'Seconds since the epoch.' },
  participant_count: { type: 'integer', minimum: 0 },
  participants: { type: 'array', items: PARTICIPANT_SCHEMA },
  settings: SETTINGS_SCHEMA,
}

/** A group with its members. */
export const GROUP_SCHEMA: JsonSchema = { type: 'object', required: Object.keys(GROUP_PROPERTIES), properties: GROUP_PROPERTIES }

/** A group whose members may be left out: `participants` is there only when asked for. */
export const GROUP_SUMMARY_SCHEMA: JsonSchema = {
  type: 'object',
  required: Object.keys(GROUP_PROPERTIES).filter((name) => name !== 'participants'),
  properties: GROUP_PROPERTIES,
}
