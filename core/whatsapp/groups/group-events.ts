import type { BaileysEventMap, GroupParticipant as BaileysParticipant } from '@whiskeysockets/baileys'
import { isLid, normalizeJid } from '../jids.js'
import type { GroupEvent, GroupSettings, ParticipantsChange, Person } from './group-types.js'

const CHANGES: Partial<Record<BaileysEventMap['group-participants.update']['action'], ParticipantsChange>> = {
  add: 'joined',
  remove: 'left',
  promote: 'promoted',
  demote: 'demoted',
}

/** A person as plugins see them: the phone jid when WhatsApp told it, the lid beside it. */
export function toPerson(id: string | undefined, phone?: string): Person | undefined {
  if (!id && !phone) return undefined
  const jid = normalizeJid(phone ?? id ?? '')
  const lid = id && isLid(id) ? normalizeJid(id) : undefined
  return lid && lid !== jid ? { jid, lid } : { jid }
}

export function participantsEvent(update: BaileysEventMap['group-participants.update']): GroupEvent | undefined {
  const change = CHANGES[update.action]
  if (!change) return undefined
  const participants = update.participants
    .map((p: BaileysParticipant | string) => (typeof p === 'string' ? toPerson(p) : toPerson(p.id, p.phoneNumber)))
    .filter((p): p is Person => p !== undefined)
  const by = toPerson(update.author, update.authorPn)
  return { type: 'participants', group: update.id, change, participants, ...(by ? { by } : {}) }
}

export function updateEvent(update: Partial<BaileysEventMap['groups.update'][number]>): GroupEvent | undefined {
  if (!update.id) return undefined
  const settings: Partial<GroupSettings> = {}
  if (update.announce !== undefined) settings.onlyAdminsSend = update.announce
  if (update.restrict !== undefined) settings.onlyAdminsEdit = update.restrict
  if (update.memberAddMode !== undefined) settings.onlyAdminsAdd = !update.memberAddMode
  if (update.joinApprovalMode !== undefined) settings.joinApproval = update.joinApprovalMode
  if (update.ephemeralDuration !== undefined) settings.disappearingSeconds = update.ephemeralDuration
  const hasSettings = Object.keys(settings).length > 0
  if (update.subject === undefined && update.desc === undefined && !hasSettings) return undefined
  const by = toPerson(update.author, update.authorPn)
  return {
    type: 'updated',
    group: update.id,
    ...(update.subject !== undefined ? { subject: update.subject } : {}),
    ...(update.desc !== undefined ? { description: update.desc } : {}),
    ...(hasSettings ? { settings } : {}),
    ...(by ? { by } : {}),
  }
}
