import type { proto } from '@whiskeysockets/baileys'

/** Something a bot sent, as the simulated contacts read it. */
export interface BotMessage {
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
  raw: proto.IMessage
}
