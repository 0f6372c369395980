import type { WAMessage } from '@whiskeysockets/baileys'
import { isGroupJid, isPhoneJid, normalizeJid } from './jids.js'
import type { IncomingMessage } from './types.js'

/** Picks the phone-number form of an id when WhatsApp sent both (LID addressing). */
function readable(primary: string | null | undefined, alternative: string | null | undefined): string {
  const candidates = [primary, alternative].filter((jid): jid is string => Boolean(jid)).map(normalizeJid)
  return candidates.find(isPhoneJid) ?? candidates[0] ?? ''
}

/**
 * A text message in the runtime's own shape; undefined for anything that
 * carries no text. `backlog`: it came from the offline queue on a reconnect.
 */
export function toIncomingMessage(message: WAMessage, backlog = false): IncomingMessage | undefined {
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
    backlog,
    ...(message.pushName ? { pushName: message.pushName } : {}),
    raw: message,
  }
}

/**
 * A copy that survives being stored as JSON: of the Baileys message only its
 * key is kept (strings), which is what quoting it needs besides the text.
 */
export function storableMessage(message: IncomingMessage): IncomingMessage {
  const key = (message.raw as Partial<WAMessage> | undefined)?.key
  return { ...message, mentions: [...message.mentions], raw: key ? { key: { ...key } } : {} }
}

/** The Baileys message to quote: the one received, or, read back from the store, its key with the text. */
export function quotable(message: IncomingMessage): WAMessage {
  const raw = (message.raw ?? {}) as Partial<WAMessage>
  if (raw.key && raw.message) return raw as WAMessage
  return {
    key: raw.key ?? { remoteJid: message.chat, id: message.id, fromMe: message.fromMe },
    message: { conversation: message.text },
  }
}
