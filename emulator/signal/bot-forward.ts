// What the server relays to a bot when another bot writes to it, or in a
// group it is in: the parts the sender encrypted for this bot's companion
// (and the group's skmsg), from the sender's device, LID-addressed with the
// phone number beside it, as a message from a contact arrives. The emulator
// cannot read these (only the receiving Baileys client holds the session);
// it only routes them.
import type { BinaryNode } from '@whiskeysockets/baileys'
import type { BotDevice } from './bot-device.js'
import { deviceJid } from './jids.js'
import type { BotStanza, PairwisePart } from './outgoing-stanza.js'

export interface Forward {
  /** The bot device the stanza is for. */
  to: BotDevice
  stanza: BinaryNode
}

export function forwardStanza(sender: BotDevice, stanza: BotStanza, parts: PairwisePart[], group: string | undefined, t: string): BinaryNode {
  const from = deviceJid(sender.lidUser, 'lid', sender.device)
  const pn = deviceJid(sender.bot.phone, 's.whatsapp.net', sender.device)
  const attrs: Record<string, string> = group
    ? { from: group, participant: from, participant_pn: pn }
    : { from, sender_pn: pn }
  Object.assign(attrs, { addressing_mode: 'lid', id: stanza.id, t, type: stanza.type ?? 'text' })
  if (sender.bot.pushName) attrs.notify = sender.bot.pushName
  const content: BinaryNode[] = parts.map((p) => ({ tag: 'enc', attrs: { v: '2', type: p.type }, content: p.ciphertext }))
  if (group && stanza.skmsg) content.push({ tag: 'enc', attrs: { v: '2', type: 'skmsg' }, content: stanza.skmsg })
  if (stanza.deviceIdentity && parts.some((p) => p.type === 'pkmsg')) content.push({ tag: 'device-identity', attrs: {}, content: stanza.deviceIdentity })
  return { tag: 'message', attrs, content }
}
