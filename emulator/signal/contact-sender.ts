// A contact writing to the bot: encrypt the padded protobuf to the bot's
// device (starting a session from the bot's uploaded bundle if needed) and
// wrap it in the stanza the server relays. Groups go through the contact's
// sender key, distributed to the bot in a pairwise part the first time.
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
  stanza: BinaryNode
  /** Set when this stanza hands the bot our sender key for the group. */
  distributesTo?: string
}

async function pairwise(state: ContactSignal, bot: BotDevice, message: proto.IMessage): Promise<EncPart> {
  if (!state.peer.hasSession(bot.address)) await state.peer.startSession(bot.address, takeUploadedBundle(bot.keys))
  return state.peer.encrypt(bot.address, pad(encodeMessage(message)))
}

/**
 * The stanza for `out`. With `fresh`, the bot asked for it again (a retry
 * receipt): the contact starts a new session with the bot from that bundle
 * (the old one is kept for reading), and hands its group sender key over again.
 */
export async function prepareStanza(state: ContactSignal, bot: BotDevice, out: Outgoing, fresh?: PreKeyBundle): Promise<Prepared> {
  state.followBot(bot.address, bot.keys.identityKey)
  const { id, t, sender, message, group } = out
  if (fresh) {
    // The old session stays beside the new one, as on a phone: the bot may still write on it.
    await state.peer.startSession(bot.address, fresh)
    if (group) state.senderKeySent.delete(group)
  }
  const type = stanzaType(message)
  if (!group) return { stanza: directMessageStanza({ id, t, sender, type, enc: await pairwise(state, bot, message) }) }

  const encs: EncPart[] = []
  const distribute = !state.senderKeySent.has(group)
  if (distribute) {
    const skdm = await state.peer.senderKeyDistribution(group, state.address)
    encs.push(
      await pairwise(state, bot, { senderKeyDistributionMessage: { groupId: group, axolotlSenderKeyDistributionMessage: skdm } }),
    )
  }
  encs.push({ type: 'skmsg', ciphertext: await state.peer.groupEncrypt(group, state.address, pad(encodeMessage(message))) })
  const stanza = groupMessageStanza({ id, t, sender, type, group, encs })
  return distribute ? { stanza, distributesTo: group } : { stanza }
}

/** The stanza `type` the server shows for a message: clients route reactions and media by it. */
function stanzaType(m: proto.IMessage): string {
  if (m.reactionMessage) return 'reaction'
  if (m.pollUpdateMessage || m.pollCreationMessage || m.pollCreationMessageV3) return 'poll'
  if (m.imageMessage || m.videoMessage || m.audioMessage || m.documentMessage || m.stickerMessage) return 'media'
  return 'text'
}
