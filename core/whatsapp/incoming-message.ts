import { extractMessageContent, getContentType, proto, toNumber, type WAMessage } from '@whiskeysockets/baileys'
import { isGroupJid, isPhoneJid, normalizeJid } from './jids.js'
import type { IncomingMessage, MessageKind, MessageMedia } from './types.js'

/** Picks the phone-number form of an id when WhatsApp sent both (LID addressing). */
function readable(primary: string | null | undefined, alternative: string | null | undefined): string {
  const candidates = [primary, alternative].filter((jid): jid is string => Boolean(jid)).map(normalizeJid)
  return candidates.find(isPhoneJid) ?? candidates[0] ?? ''
}

/** What a message holds, in the runtime's words, read from the one Baileys content type it has. */
type Content = Pick<IncomingMessage, 'kind' | 'text' | 'media' | 'location' | 'contacts' | 'reaction' | 'poll' | 'target'> & {
  contextInfo?: proto.IContextInfo | null
}

const POLLS = ['pollCreationMessage', 'pollCreationMessageV2', 'pollCreationMessageV3', 'pollCreationMessageV5'] as const

/**
 * The user content of a message, wrappers (disappearing, view once, document
 * with caption) taken off; undefined for what is not a person's message:
 * protocol messages other than edits and deletions (history sync, keys),
 * sender keys alone, and kinds the runtime does not describe yet.
 */
function contentOf(message: proto.IMessage): Content | undefined {
  const inner = extractMessageContent(message)
  const type = getContentType(inner)
  if (!inner || !type) return undefined
  switch (type) {
    case 'conversation':
      return typeof inner.conversation === 'string' ? { kind: 'text', text: inner.conversation } : undefined
    case 'extendedTextMessage': {
      const m = inner.extendedTextMessage
      return typeof m?.text === 'string' ? { kind: 'text', text: m.text, contextInfo: m.contextInfo } : undefined
    }
    case 'imageMessage':
      return media('image', inner.imageMessage)
    case 'videoMessage':
      return media('video', inner.videoMessage)
    case 'ptvMessage':
      return media('video', inner.ptvMessage)
    case 'audioMessage':
      return media(inner.audioMessage?.ptt ? 'voice' : 'audio', inner.audioMessage)
    case 'documentMessage':
      return media('document', inner.documentMessage)
    case 'stickerMessage':
      return media('sticker', inner.stickerMessage)
    case 'locationMessage':
    case 'liveLocationMessage': {
      const m = type === 'locationMessage' ? inner.locationMessage : inner.liveLocationMessage
      if (!m) return undefined
      const place = m as proto.Message.ILocationMessage
      return {
        kind: 'location',
        text: (type === 'locationMessage' ? place.comment : inner.liveLocationMessage?.caption) ?? '',
        location: {
          latitude: m.degreesLatitude ?? 0,
          longitude: m.degreesLongitude ?? 0,
          ...(place.name ? { name: place.name } : {}),
          ...(place.address ? { address: place.address } : {}),
        },
        contextInfo: m.contextInfo,
      }
    }
    case 'contactMessage':
    case 'contactsArrayMessage': {
      const cards = type === 'contactMessage' ? [inner.contactMessage] : (inner.contactsArrayMessage?.contacts ?? [])
      const contacts = cards.flatMap((card) => (card ? [{ name: card.displayName ?? '', vcard: card.vcard ?? '' }] : []))
      const context = type === 'contactMessage' ? inner.contactMessage?.contextInfo : inner.contactsArrayMessage?.contextInfo
      return { kind: 'contact', text: '', contacts, contextInfo: context }
    }
    case 'reactionMessage': {
      const m = inner.reactionMessage
      if (!m?.key?.id) return undefined
      const emoji = m.text ?? ''
      return { kind: 'reaction', text: emoji, reaction: { emoji, message_id: m.key.id } }
    }
    case 'pollUpdateMessage': {
      // The vote is encrypted with the poll's key; Baileys decrypts it only against a stored poll.
      const poll = inner.pollUpdateMessage?.pollCreationMessageKey?.id
      return { kind: 'poll_vote', text: '', ...(poll ? { target: { message_id: poll } } : {}) }
    }
    case 'protocolMessage':
      return changeOf(inner.protocolMessage)
    default: {
      if (!(POLLS as readonly string[]).includes(type)) return undefined
      const m = inner[type as (typeof POLLS)[number]]
      if (!m) return undefined
      const name = m.name ?? ''
      const options = (m.options ?? []).map((option) => option.optionName ?? '')
      return { kind: 'poll', text: name, poll: { name, options, selectable: m.selectableOptionsCount ?? 0 }, contextInfo: m.contextInfo }
    }
  }
}

/** An edit or a deletion for everyone; other protocol messages are the client's business. */
function changeOf(m: proto.Message.IProtocolMessage | null | undefined): Content | undefined {
  const id = m?.key?.id
  if (!m || !id) return undefined
  if (m.type === proto.Message.ProtocolMessage.Type.REVOKE) return { kind: 'delete', text: '', target: { message_id: id } }
  if (m.type !== proto.Message.ProtocolMessage.Type.MESSAGE_EDIT) return undefined
  const edited = extractMessageContent(m.editedMessage)
  const text = edited?.conversation ?? edited?.extendedTextMessage?.text ?? edited?.imageMessage?.caption ?? edited?.videoMessage?.caption ?? edited?.documentMessage?.caption ?? ''
  return { kind: 'edit', text, target: { message_id: id }, contextInfo: edited?.extendedTextMessage?.contextInfo }
}

interface MediaFields {
  mimetype?: string | null
  fileLength?: number | Long | null
  caption?: string | null
  fileName?: string | null
  seconds?: number | null
  width?: number | null
  height?: number | null
  contextInfo?: proto.IContextInfo | null
}

type Long = Parameters<typeof toNumber>[0]

function media(kind: MessageKind, m: MediaFields | null | undefined): Content | undefined {
  if (!m) return undefined
  const about: MessageMedia = { mimetype: m.mimetype ?? '' }
  if (m.fileLength !== null && m.fileLength !== undefined) about.size = toNumber(m.fileLength)
  if (m.fileName) about.file_name = m.fileName
  if (m.seconds) about.seconds = m.seconds
  if (m.width) about.width = m.width
  if (m.height) about.height = m.height
  return { kind, text: m.caption ?? '', media: about, contextInfo: m.contextInfo }
}

/**
 * A person's message in the runtime's own shape; undefined for anything that
 * is not one (see contentOf). `backlog`: it came from the offline queue on a reconnect.
 */
export function toIncomingMessage(message: WAMessage, backlog = false): IncomingMessage | undefined {
  const { key } = message
  const chat = key.remoteJid
  if (!message.message || !chat || !key.id) return undefined
  const found = contentOf(message.message)
  if (!found) return undefined
  const { contextInfo, ...content } = found
  const isGroup = isGroupJid(chat)
  const quotedId = contextInfo?.stanzaId
  return {
    id: key.id,
    chat,
    sender: isGroup ? readable(key.participant, key.participantAlt) : readable(chat, key.remoteJidAlt),
    fromMe: Boolean(key.fromMe),
    ...content,
    mentions: (contextInfo?.mentionedJid ?? []).map(normalizeJid),
    ...(quotedId ? { quoted: { id: quotedId, ...(contextInfo.participant ? { sender: normalizeJid(contextInfo.participant) } : {}) } } : {}),
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
