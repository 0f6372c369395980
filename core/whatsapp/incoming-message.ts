import type { WAMessage } from '@whiskeysockets/baileys'
import { isGroupJid, isPhoneJid, normalizeJid } from './jids.js'
import type { IncomingMessage } from './types.js'

/** Picks the phone-number form of an id when WhatsApp sent both (LID addressing). */
function readable(primary: string | null | undefined, alternative: string | null | undefined): string {
  const candidates = [primary, alternative].filter((jid): jid is string => Boolean(jid)).map(normalizeJid)
  return candidates.find(isPhoneJid) ?? candidates[0] ?? ''
}

/** A text message in the runtime's own shape; undefined for anything that carries no text. */
export function toIncomingMessage(message: WAMessage): IncomingMessage | undefined {
  const { key } = message
  const content = message.message
  const chat = key.remoteJid
  if (!content || !chat || !key.id) return undefined
  const text = content.conversation ?? content.extendedTextMessage?.text
  if (typeof text !== 'string') return undefined
  const isGroup = isGroupJid(chat)
  return {
    id: key.id,
    chat,
    sender: isGroup ? readable(key.participant, key.participantAlt) : readable(chat, key.remoteJidAlt),
    fromMe: Boolean(key.fromMe),
    text,
    mentions: (content.extendedTextMessage?.contextInfo?.mentionedJid ?? []).map(normalizeJid),
    timestamp: Number(message.messageTimestamp ?? 0),
    isGroup,
    ...(message.pushName ? { pushName: message.pushName } : {}),
    raw: message,
  }
}
