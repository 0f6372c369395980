// A contact writing to bots: encrypt the padded protobuf to each bot's
// device (starting a session from its uploaded bundle if needed) and wrap it
// in the stanza the server relays to that bot. Groups go through the
// contact's sender key: one skmsg, the same bytes for every bot in the group
// (as the real server fans one message out), and the sender key itself in a
// pairwise part to each bot that does not have it yet.
import type { BinaryNode, proto } from '@whiskeysockets/baileys'
import { takeUploadedBundle } from './bundle-wire.js'
import type { PreKeyBundle } from './keys.js'
import { directMessageStanza, groupMessageStanza } from './incoming-stanza.js'
import type { EncPart, SenderInfo } from './incoming-stanza.js'
import { pad } from './padding.js'
import { encodeMessage } from './text-message.js'
import type { BotDevice } from './bot-device.js'
import type { ContactSignal } from './contact-state.js'

export interface Outgoing {
  id: string
  t: string
  sender: SenderInfo
  message: proto.IMessage
  group?: string
}

export interface Prepared {
  bot: BotDevice
  stanza: BinaryNode
  /** Set when this stanza hands the bot our sender key for the group. */
  distributesTo?: string
}

async function pairwise(state: ContactSignal, bot: BotDevice, message: proto.IMessage): Promise<EncPart> {
  if (!state.peer.hasSession(bot.address)) await state.peer.startSession(bot.address, takeUploadedBundle(bot.keys))
  return state.peer.encrypt(bot.address, pad(encodeMessage(message)))
}

/**
 * The stanza for `out`, one per bot. With `fresh`, the bot asked for it
 * again (a retry receipt): the contact starts a new session with the bot
 * from that bundle (the old one is kept for reading), and hands its group
 * sender key over again.
 */
export async function prepareStanzas(state: ContactSignal, bots: BotDevice[], out: Outgoing, fresh?: PreKeyBundle): Promise<Prepared[]> {
  const { id, t, sender, message, group } = out
  for (const bot of bots) {
    state.followBot(bot.address, bot.keys.identityKey)
    if (!fresh) continue
    // The old session stays beside the new one, as on a phone: the bot may still write on it.
    await state.peer.startSession(bot.address, fresh)
    if (group) state.forgetKeySent(bot.address, group)
  }
  const type = stanzaType(message)
  const prepared: Prepared[] = []
  if (!group) {
    for (const bot of bots) prepared.push({ bot, stanza: directMessageStanza({ id, t, sender, type, enc: await pairwise(state, bot, message) }) })
    return prepared
  }

  // The distribution message must come before the encryption it lets the bot read.
  const lacking = bots.filter((bot) => !state.keySent(bot.address, group))
  const skdm = lacking.length ? await state.peer.senderKeyDistribution(group, state.address) : undefined
  const skmsg: EncPart = { type: 'skmsg', ciphertext: await state.peer.groupEncrypt(group, state.address, pad(encodeMessage(message))) }
  for (const bot of bots) {
    const encs: EncPart[] = []
    const distribute = skdm !== undefined && lacking.includes(bot)
    if (distribute) {
      encs.push(await pairwise(state, bot, { senderKeyDistributionMessage: { groupId: group, axolotlSenderKeyDistributionMessage: skdm } }))
    }
    encs.push(skmsg)
    const stanza = groupMessageStanza({ id, t, sender, type, group, encs })
    prepared.push(distribute ? { bot, stanza, distributesTo: group } : { bot, stanza })
  }
  return prepared
}

/** The stanza `type` the server shows for a message: clients route reactions and media by it. */
function stanzaType(m: proto.IMessage): string {
  if (m.reactionMessage) return 'reaction'
  if (m.pollUpdateMessage || m.pollCreationMessage || m.pollCreationMessageV3) return 'poll'
  if (m.imageMessage || m.videoMessage || m.audioMessage || m.documentMessage || m.stickerMessage || m.documentWithCaptionMessage) return 'media'
  return 'text'
}
