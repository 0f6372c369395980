import type { GroupInfo, GroupSettings, Person } from 'waplug'

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
    participants: group.participants.map((p) => ({ ...withLid(p), is_admin: p.isAdmin, is_super_admin: p.isSuperAdmin })),
    settings: toSettingsData(group.settings),
  }
}

/** A phone number for people to read (its digits), or the lid when that is all there is. */
export function shown(jid: string): string {
  const [user = jid, server] = jid.split('@')
  return server === 's.whatsapp.net' ? user : jid
}

export const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`
