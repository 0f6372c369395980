// A bot's message as the rest of the world takes it: each pairwise part is
// decrypted by the device it is addressed to (a contact, or a bot account's
// phone: the sender's own gets a copy), sender keys are taken in, then the
// group part is decrypted by every contact holding the bot's sender key.
// Parts for another bot's companion, and the group part for every other bot
// in the group, are not read here but forwarded to that bot.
import type { proto } from '@whiskeysockets/baileys'
import { contactSignal } from './contact-state.js'
import { botDeviceOf } from './bot-device.js'
import type { BotDevice } from './bot-device.js'
import { forwardStanza } from './bot-forward.js'
import type { Forward } from './bot-forward.js'
import { deviceOwner } from './device-owner.js'
import type { Reader } from './device-owner.js'
import { deviceJid, isGroupJid, parseDeviceJid } from './jids.js'
import { unpad } from './padding.js'
import { describeMessage } from './message-content.js'
import { decodeMessage, readText } from './text-message.js'
import type { BotStanza, PairwisePart } from './outgoing-stanza.js'
import type { BotMessage } from './bot-message.js'
import type { BotLike, ContactLike, WorldLike } from './signal-host.js'

export interface ReadResult {
  message?: BotMessage
  failures: string[]
  /** What the server relays to other bots. */
  forwards: Forward[]
}

export async function readBotStanza(world: WorldLike, bot: BotDevice, stanza: BotStanza, t: string): Promise<ReadResult> {
  const failures: string[] = []
  const group = isGroupJid(stanza.to) ? stanza.to : undefined
  let content: proto.IMessage | undefined
  const readBy: string[] = []
  const devices: string[] = []
  const readAt = (contact: ContactLike, device: number): void => {
    if (!readBy.includes(contact.jid)) readBy.push(contact.jid)
    devices.push(deviceJid(parseDeviceJid(contact.lid)?.user ?? '', 'lid', device))
  }
  const forParts = new Map<BotLike, { device: BotDevice; parts: PairwisePart[] }>()

  for (const part of stanza.parts) {
    const reader = deviceOwner(world, part.jid)
    if (!reader) continue
    if (reader.kind === 'companion') {
      const other = reader.device.bot
      if (other === bot.bot) continue
      const entry = forParts.get(other) ?? { device: reader.device, parts: [] }
      entry.parts.push(part)
      forParts.set(other, entry)
      continue
    }
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

  const members = group ? world.group(group) : undefined
  if (group && stanza.skmsg) {
    // The server delivers a group message to the group's members only.
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
    const otherBots = [...world.bots.values()].filter((b) => b !== bot.bot && members?.member(b.lid))
    if (!readBy.length && !failures.length && !otherBots.length) failures.push(`skmsg to ${group}: no contact holds the bot's sender key`)
  }

  const forwards = forwardsOf(world, bot, stanza, forParts, group, members, t)
  if (!content) return { failures, forwards }
  const chat = group ?? world.person(stanza.to)?.pn ?? stanza.to
  const { text, quotedId, mentions } = readText(content)
  const message: BotMessage = { ...describeMessage(content), id: stanza.id, bot: bot.bot.jid, chat, to: stanza.to, text, mentions, readBy, devices, raw: content }
  if (quotedId) message.quotedId = quotedId
  return { message, failures, forwards }
}

/** One stanza per other bot this message reaches: its parts, and in a group the skmsg if it is a member. */
function forwardsOf(
  world: WorldLike,
  sender: BotDevice,
  stanza: BotStanza,
  forParts: Map<BotLike, { device: BotDevice; parts: PairwisePart[] }>,
  group: string | undefined,
  members: { member(lidOrPn: string): unknown } | undefined,
  t: string,
): Forward[] {
  const targets = new Map(forParts)
  if (group && stanza.skmsg && members) {
    for (const b of world.bots.values()) {
      const device = b !== sender.bot && !targets.has(b) && members.member(b.lid) ? botDeviceOf(world, b) : undefined
      if (device) targets.set(b, { device, parts: [] })
    }
  }
  const out: Forward[] = []
  for (const [b, { device, parts }] of targets) {
    // A group message goes to members only, whatever the sender encrypted for.
    if (group && !members?.member(b.lid)) continue
    out.push({ to: device, stanza: forwardStanza(sender, stanza, parts, group, t) })
  }
  return out
}

async function decryptPart(reader: Exclude<Reader, { kind: 'companion' }>, bot: BotDevice, part: PairwisePart): Promise<proto.IMessage> {
  return decodeMessage(unpad(await reader.peer.decrypt(bot.address, part.type, part.ciphertext)))
}
