// The protobufs a contact's phone sends for things other than typed text and
// media: reactions, polls and votes, edits and deletes, locations, contact
// cards. Keys name the target message as the contact sees it: the bot's
// messages are not `fromMe`, the contact's own are.
import { createCipheriv, createHash, createHmac, randomBytes } from 'node:crypto'
import { proto } from '@whiskeysockets/baileys'

export interface TargetKey {
  /** The chat as the contact's phone names it: the bot's jid in a 1:1 chat, else the group. */
  remoteJid: string
  id: string
  fromMe: boolean
  /** In a group, who wrote the target message. */
  participant?: string
}

function key(k: TargetKey): proto.IMessageKey {
  return k.participant ? { remoteJid: k.remoteJid, id: k.id, fromMe: k.fromMe, participant: k.participant } : { remoteJid: k.remoteJid, id: k.id, fromMe: k.fromMe }
}

/** A reaction; `text` '' removes the contact's earlier reaction. */
export function reactionMessage(target: TargetKey, text: string): proto.IMessage {
  return { reactionMessage: { key: key(target), text, senderTimestampMs: Date.now() } }
}

/** A poll with a fresh secret, which voters' phones use to encrypt their votes. */
export function pollMessage(name: string, options: string[], selectableCount = 1): proto.IMessage {
  return {
    messageContextInfo: { messageSecret: randomBytes(32) },
    pollCreationMessageV3: { name, options: options.map((optionName) => ({ optionName })), selectableOptionsCount: selectableCount },
  }
}

export interface VoteContext {
  /** The poll's `messageContextInfo.messageSecret`. */
  secret: Uint8Array
  pollId: string
  /** Who created the poll and who votes, as the poll's author will name them when decrypting. */
  creatorJid: string
  voterJid: string
}

/**
 * A vote: the selected options' SHA-256, AES-256-GCM encrypted under a key
 * derived from the poll's secret, its id and both jids (WhatsApp's scheme,
 * written here on node:crypto).
 */
export function pollVoteMessage(target: TargetKey, options: string[], ctx: VoteContext): proto.IMessage {
  const vote = proto.Message.PollVoteMessage.encode({ selectedOptions: options.map((o) => createHash('sha256').update(o).digest()) }).finish()
  const sign = Buffer.concat([Buffer.from(ctx.pollId), Buffer.from(ctx.creatorJid), Buffer.from(ctx.voterJid), Buffer.from('Poll Vote'), Buffer.from([1])])
  const key0 = createHmac('sha256', Buffer.alloc(32)).update(ctx.secret).digest()
  const encKey = createHmac('sha256', key0).update(sign).digest()
  const iv = randomBytes(12)
  const cipher = createCipheriv('aes-256-gcm', encKey, iv)
  cipher.setAAD(Buffer.from(`${ctx.pollId}\u0000${ctx.voterJid}`))
  const encPayload = Buffer.concat([cipher.update(vote), cipher.final(), cipher.getAuthTag()])
  return { pollUpdateMessage: { pollCreationMessageKey: key(target), vote: { encPayload, encIv: iv }, senderTimestampMs: Date.now() } }
}

/** An edit of the contact's own message `target` to `text`. */
export function editMessage(target: TargetKey, text: string): proto.IMessage {
  return {
    protocolMessage: {
      key: key(target),
      type: proto.Message.ProtocolMessage.Type.MESSAGE_EDIT,
      editedMessage: { conversation: text },
      timestampMs: Date.now(),
    },
  }
}

/** Deleting the contact's own message `target` for everyone. */
export function revokeMessage(target: TargetKey): proto.IMessage {
  return { protocolMessage: { key: key(target), type: proto.Message.ProtocolMessage.Type.REVOKE } }
}

export interface Location {
  latitude: number
  longitude: number
  name?: string
  address?: string
}

export function locationMessage(l: Location): proto.IMessage {
  const m: proto.Message.ILocationMessage = { degreesLatitude: l.latitude, degreesLongitude: l.longitude }
  if (l.name) m.name = l.name
  if (l.address) m.address = l.address
  return { locationMessage: m }
}

/** A contact card for `phone` (digits), as a vCard 3.0 with the WhatsApp id field phones add. */
export function contactCardMessage(displayName: string, phone: string): proto.IMessage {
  const vcard = ['BEGIN:VCARD', 'VERSION:3.0', `FN:${displayName}`, `TEL;type=CELL;waid=${phone}:+${phone}`, 'END:VCARD'].join('\n')
  return { contactMessage: { displayName, vcard } }
}
