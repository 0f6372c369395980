import { badRequest, isGroupWord } from 'waplug'
import type { SettingsData } from './group-data.js'

/** The timers WhatsApp offers for disappearing messages, in seconds. */
export const DISAPPEARING: Record<string, number> = { off: 0, '24h': 86400, '7d': 604800, '90d': 7776000 }

type Toggle = 'only_admins_send' | 'only_admins_edit' | 'only_admins_add' | 'join_approval'

/** Chat words for each setting, and which value means "on". */
const WORDS: Record<string, { key: Toggle; on: string; off: string }> = {
  send: { key: 'only_admins_send', on: 'admins', off: 'all' },
  edit: { key: 'only_admins_edit', on: 'admins', off: 'all' },
  add: { key: 'only_admins_add', on: 'admins', off: 'all' },
  approval: { key: 'join_approval', on: 'on', off: 'off' },
}

export const SETTINGS_USAGE = 'settings [group] <send|edit|add> <admins|all> · approval <on|off> · disappearing <off|24h|7d|90d>'

/** `!settings send admins approval on` → `{ only_admins_send: true, join_approval: true }`. */
export function parseSettingWords(words: string[]): Record<string, unknown> {
  const input: Record<string, unknown> = {}
  const rest = [...words]
  if (rest[0] && isGroupWord(rest[0])) input.jid = rest.shift()
  if (rest.length === 0) throw badRequest('Name a setting to change, e.g. "send admins" or "disappearing 7d"')
  for (let i = 0; i < rest.length; i += 2) {
    const name = (rest[i] ?? '').toLowerCase()
    const value = rest[i + 1]?.toLowerCase()
    if (name === 'disappearing') {
      if (value === undefined || !(value in DISAPPEARING)) throw badRequest(`disappearing takes one of ${Object.keys(DISAPPEARING).join(', ')}`)
      input.disappearing_seconds = DISAPPEARING[value]
      continue
    }
    const setting = WORDS[name]
    if (!setting) throw badRequest(`Unknown setting '${rest[i] ?? ''}'; the settings are ${[...Object.keys(WORDS), 'disappearing'].join(', ')}`)
    if (value !== setting.on && value !== setting.off) throw badRequest(`${name} takes ${setting.on} or ${setting.off}`)
    input[setting.key] = value === setting.on
  }
  return input
}

/** The settings as lines a person reads. */
export function describeSettings(settings: SettingsData): string[] {
  const timer = Object.entries(DISAPPEARING).find(([, seconds]) => seconds === settings.disappearing_seconds)?.[0] ?? `${settings.disappearing_seconds} s`
  return [
    `Who may send: ${settings.only_admins_send ? 'admins only' : 'everyone'}`,
    `Who may edit the group info: ${settings.only_admins_edit ? 'admins only' : 'everyone'}`,
    `Who may add members: ${settings.only_admins_add ? 'admins only' : 'everyone'}`,
    `Join approval: ${settings.join_approval ? 'on' : 'off'}`,
    `Disappearing messages: ${timer}`,
  ]
}
