// The simulated contacts reading what the bot sent: each pairwise part is
// decrypted by the device it is addressed to (a contact, or the bot's own
// phone, which gets a copy), sender keys are taken in, then the group part
// is decrypted by every contact holding the bot's sender key.
import type { proto } from '@whiskeysockets/baileys'
import { contactSignal } from './contact-state.js'
import type { BotDevice } from './bot-device.js'
import { deviceOwner } from './device-owner.js'
import type { Reader } from './device-owner.js'
import { deviceJid, isGroupJid, parseDeviceJid } from './jids.js'
import { unpad } from './padding.js'
import { decodeMessage, readText } from './text-message.js'
import type { BotStanza, PairwisePart } from './outgoing-stanza.js'
import type { BotMessage } from './bot-message.js'
import type { ContactLike, WorldLike } from './signal-host.js'

export interface ReadResult {
  message?: BotMessage
  failures: string[]
}

export async function readBotStanza(world: WorldLike, bot: BotDevice, stanza: BotStanza): Promise<ReadResult> {
  const failures: string[] = []
  const group = isGroupJid(stanza.to) ? stanza.to : undefined
  let content: proto.IMessage | undefined
  const readBy: string[] = []
  const devices: string[] = []
  const readAt = (contact: ContactLike, device: number): void => {
    if (!readBy.includes(contact.jid)) readBy.push(contact.jid)
    devices.push(deviceJid(parseDeviceJid(contact.lid)?.user ?? '', 'lid', device))
  }

  for (const part of stanza.parts) {
    const reader = deviceOwner(world, bot, part.jid)
    if (!reader || reader.kind === 'companion') continue
    if (reader.kind === 'contact') reader.state.followBot(bot.address, bot.keys.identityKey)
    try {
      const message = await decryptPart(reader, bot, part)
      const skdm = message.senderKeyDistributionMessage
      if (reader.kind === 'contact' && skdm?.axolotlSenderKeyDistributionMessage) {
        await reader.peer.processSenderKeyDistribution(skdm.groupId ?? group ?? stanza.to, bot.address, skdm.axolotlSenderKeyDistributionMessage)
      }
      // The phone's copy is a deviceSentMessage; it proves the fan-out, not the content.
      if (reader.kind === 'contact' && !group) {
        content ??= message
        readAt(reader.contact, reader.device)
      }
    } catch (err) {
      failures.push(`${part.type} to ${part.jid}: ${(err as Error).message}`)
    }
  }

  if (group && stanza.skmsg) {
    // The server delivers a group message to the group's members only.
    const members = world.group(group)
    for (const contact of world.contacts.values()) {
      if (members && !members.member(contact.lid)) continue
      for (const device of contactSignal(contact).devices.values()) {
        if (!device.peer.hasSenderKey(group, bot.address)) continue
        try {
          const message = decodeMessage(unpad(await device.peer.groupDecrypt(group, bot.address, stanza.skmsg)))
          content ??= message
          readAt(contact, device.id)
        } catch (err) {
          failures.push(`skmsg at ${contact.jid} device ${device.id}: ${(err as Error).message}`)
        }
      }
    }
    if (!readBy.length && !failures.length) failures.push(`skmsg to ${group}: no contact holds the bot's sender key`)
  }

  if (!content) return { failures }
  const chat = group ?? world.person(stanza.to)?.pn ?? stanza.to
  const { text, quotedId, mentions } = readText(content)
  const message: BotMessage = { id: stanza.id, chat, to: stanza.to, text, mentions, readBy, devices, raw: content }
  if (quotedId) message.quotedId = quotedId
  return { message, failures }
}

async function decryptPart(reader: Reader & { kind: 'contact' | 'phone' }, bot: BotDevice, part: PairwisePart): Promise<proto.IMessage> {
  return decodeMessage(unpad(await reader.peer.decrypt(bot.address, part.type, part.ciphertext)))
}
