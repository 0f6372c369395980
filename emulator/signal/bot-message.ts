import type { proto } from '@whiskeysockets/baileys'
import type { ReceivedMedia } from './media-message.js'
import type { MessageContent } from './message-content.js'

/** Something a bot sent, as the simulated contacts read it. */
export interface BotMessage extends MessageContent {
  id: string
  /** Phone-number jid of the bot that sent it. */
  bot: string
  /** The group jid, or the contact's phone-number jid for a 1:1 chat. */
  chat: string
  /** The stanza's `to` exactly as the client addressed it (PN, LID or group jid). */
  to: string
  /** `conversation`, `extendedTextMessage.text` or a media caption; '' when the message has no text. */
  text: string
  /** `contextInfo.stanzaId`: the id of the message this one quotes. */
  quotedId?: string
  mentions: string[]
  /** Phone-number jids of the contacts that decrypted it. */
  readBy: string[]
  /** LID device jids (`user:device@lid`, bare for the phone) that decrypted it: the client's fan-out. */
  devices: string[]
  /** Media the phone downloaded from the media host, hashes and mac checked, decrypted. */
  media?: ReceivedMedia
  /** Why the media could not be read (not uploaded here, hash or mac mismatch, …). */
  mediaError?: string
  raw: proto.IMessage
}
