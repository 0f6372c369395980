import { proto, WAMessageStubType, type WAMessage } from '@whiskeysockets/baileys'
import { isLid, isPhoneJid, normalizeJid } from '../jids.js'
import type { GroupEvent, GroupSettings, ParticipantsChange, Person } from './group-types.js'

/**
 * Group notifications as Baileys records them: a stub message in the group's
 * chat. Read from the messages rather than from Baileys' `groups.update`
 * event, whose buffering keeps only the first of several changes to one group
 * that arrive together (a new subject and description, say).
 */

const CHANGES: Partial<Record<number, ParticipantsChange>> = {
  [WAMessageStubType.GROUP_PARTICIPANT_ADD]: 'joined',
  [WAMessageStubType.GROUP_PARTICIPANT_INVITE]: 'joined',
  [WAMessageStubType.GROUP_PARTICIPANT_ADD_REQUEST_JOIN]: 'joined',
  [WAMessageStubType.GROUP_PARTICIPANT_REMOVE]: 'left',
  [WAMessageStubType.GROUP_PARTICIPANT_LEAVE]: 'left',
  [WAMessageStubType.GROUP_PARTICIPANT_PROMOTE]: 'promoted',
  [WAMessageStubType.GROUP_PARTICIPANT_DEMOTE]: 'demoted',
}

/** A person as plugins see them: the phone jid when WhatsApp told it, the lid beside it. */
export function toPerson(id: string | undefined | null, phone?: string | null): Person | undefined {
  const lid = id && isLid(id) ? normalizeJid(id) : undefined
  const jid = phone && isPhoneJid(phone) ? normalizeJid(phone) : id ? normalizeJid(id) : undefined
  if (!jid) return undefined
  return lid && lid !== jid ? { jid, lid } : { jid }
}

function participantOf(parameter: string): Person | undefined {
  try {
    const p = JSON.parse(parameter) as { id?: string; phoneNumber?: string; lid?: string }
    return p.lid ? toPerson(p.lid, p.id) : toPerson(p.id, p.phoneNumber)
  } catch {
    return toPerson(parameter)
  }
}

const on = (value: string | undefined) => value === 'on' || value === 'true'

const SETTINGS: Partial<Record<number, (value: string | undefined) => Partial<GroupSettings>>> = {
  [WAMessageStubType.GROUP_CHANGE_ANNOUNCE]: (value) => ({ onlyAdminsSend: on(value) }),
  [WAMessageStubType.GROUP_CHANGE_RESTRICT]: (value) => ({ onlyAdminsEdit: on(value) }),
  [WAMessageStubType.GROUP_MEMBER_ADD_MODE]: (value) => ({ onlyAdminsAdd: value !== 'all_member_add' }),
  [WAMessageStubType.GROUP_MEMBERSHIP_JOIN_APPROVAL_MODE]: (value) => ({ joinApproval: on(value) }),
}

/** The group event a message stands for, if it is a group notification. */
export function groupEventOf(message: WAMessage): GroupEvent | 'created' | undefined {
  const group = message.key.remoteJid
  if (!group?.endsWith('@g.us')) return undefined
  const by = toPerson(message.key.participant ?? message.participant, message.key.participantAlt)
  const author = by ? { by } : {}
  const protocol = message.message?.protocolMessage
  if (protocol?.type === proto.Message.ProtocolMessage.Type.EPHEMERAL_SETTING) {
    return { type: 'updated', group, settings: { disappearingSeconds: protocol.ephemeralExpiration ?? 0 }, ...author }
  }
  const type = message.messageStubType
  if (!type) return undefined
  const parameters = (message.messageStubParameters ?? []) as string[]
  if (type === WAMessageStubType.GROUP_CREATE) return 'created'
  const change = CHANGES[type]
  if (change) {
    const participants = parameters.map(participantOf).filter((p): p is Person => p !== undefined)
    return { type: 'participants', group, change, participants, ...author }
  }
  if (type === WAMessageStubType.GROUP_CHANGE_SUBJECT) return { type: 'updated', group, subject: parameters[0] ?? '', ...author }
  if (type === WAMessageStubType.GROUP_CHANGE_DESCRIPTION) return { type: 'updated', group, description: parameters[0] ?? '', ...author }
  const settings = SETTINGS[type]?.(parameters[0])
  return settings ? { type: 'updated', group, settings, ...author } : undefined
}
