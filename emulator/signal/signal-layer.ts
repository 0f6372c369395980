// Signal-encrypted messages between the bot and the simulated contacts: the
// server-side answers the client needs to send (usync, prekey fetch), reading
// what it sent, and contacts writing to it. One per emulator.
import type { BinaryNode, proto } from '@whiskeysockets/baileys'
import { currentBotDevice } from './bot-device.js'
import type { BotDevice } from './bot-device.js'
import { readBotStanza } from './bot-reader.js'
import type { BotMessage } from './bot-message.js'
import { contactReceipts } from './contact-receipts.js'
import type { ReceiptMode } from './contact-receipts.js'
import { contactSignal } from './contact-state.js'
import { prepareStanza } from './contact-sender.js'
import { DeliveryTracker } from './delivery-tracker.js'
import { isGroupJid } from './jids.js'
import { answerKeyFetch } from './key-fetch-answer.js'
import { newMessageId } from './message-ids.js'
import { messageAck, parseBotStanza } from './outgoing-stanza.js'
import { OfflineQueue } from './offline-queue.js'
import { ReplyInbox } from './reply-inbox.js'
import { SimContact } from './sim-contact.js'
import type { ReplyFilter } from './reply-inbox.js'
import type { ContactLike, SignalHost } from './signal-host.js'
import { textMessage } from './text-message.js'
import type { QuotedRef } from './text-message.js'
import { answerUsync } from './usync-answer.js'

export interface SendOptions {
  /** Group jid to write in; the contact should be a member. */
  group?: string
  /** How long to wait for the bot's receipt. */
  timeoutMs?: number
}

export interface SayOptions extends SendOptions {
  /** Jids to @mention (put "@<user>" in the text too, as phones do). */
  mentions?: string[]
  /** Id of the message to quote (a bot message or an earlier one). */
  quoted?: string
}

export interface ReplyQuery {
  /** Group jid, or a contact's phone or LID jid; any chat when omitted. */
  chat?: string
  timeoutMs?: number
}

export interface SignalLayerOptions {
  /** Default wait for receipts and replies. */
  timeoutMs?: number
  /** Receipts the contacts send for the bot's messages; 'none' (the default) keeps the traffic minimal. */
  receipts?: ReceiptMode
}

export class SignalLayer {
  private readonly deliveries = new DeliveryTracker()
  private readonly inbox = new ReplyInbox()
  private readonly offline = new OfflineQueue()
  /** What contacts sent, so a later quote can carry the quoted content like a phone's does. */
  private readonly sent = new Map<string, QuotedRef>()
  private timeoutMs = 5000
  private receipts: ReceiptMode = 'none'

  constructor(
    private readonly host: SignalHost,
    opts: SignalLayerOptions = {},
  ) {
    this.configure(opts)
  }

  configure(opts: SignalLayerOptions): void {
    if (opts.timeoutMs !== undefined) this.timeoutMs = opts.timeoutMs
    if (opts.receipts !== undefined) this.receipts = opts.receipts
  }

  /** Everything the bot has sent to simulated contacts so far, oldest first. */
  get replies(): readonly BotMessage[] {
    return this.inbox.received
  }

  /** Recent problems reading the bot's messages (kept for diagnostics). */
  get failures(): readonly string[] {
    return this.inbox.failures
  }

  /** A world contact (by phone, phone jid or LID) as a handle that can talk. */
  contact(phoneOrJid: string): SimContact {
    const c = this.host.world.contact(phoneOrJid)
    if (!c) throw new Error(`no simulated contact ${phoneOrJid}; add it to the world first`)
    return new SimContact(this, c)
  }

  /** Sends `text` from `contact` and resolves once the bot has acknowledged it with a receipt. */
  say(contact: ContactLike, text: string, opts: SayOptions = {}): Promise<{ id: string }> {
    const quoted = opts.quoted ? { quoted: this.quotedRef(opts.quoted) } : {}
    return this.send(contact, textMessage(text, { mentions: opts.mentions ?? [], ...quoted }), opts)
  }

  /** Sends any message (reaction, poll vote, …) from `contact`; resolves on the bot's receipt. */
  async send(contact: ContactLike, message: proto.IMessage, opts: SendOptions = {}): Promise<{ id: string }> {
    const bot = this.bot()
    const state = contactSignal(contact)
    const id = newMessageId()
    const delivered = this.deliveries.expect(id, opts.timeoutMs ?? this.timeoutMs)
    let distributesTo: string | undefined
    try {
      distributesTo = await state.serial(async () => {
        const sender = { lid: contact.lid, pn: contact.jid, pushName: contact.name }
        const t = String(this.host.now())
        const prepared = await prepareStanza(state, bot, { id, t, sender, message, ...(opts.group ? { group: opts.group } : {}) })
        // Like the real server, keep it for the bot's next login rather than fail.
        if (!this.host.sendToBot(prepared.stanza)) this.offline.add(id, prepared.stanza, deviceKey(bot))
        return prepared.distributesTo
      })
    } catch (err) {
      this.deliveries.cancel(id, err as Error)
      await delivered.catch(() => undefined)
      throw err
    }
    try {
      // A retry receipt fails here on purpose: in the emulator it means a bug, not a flaky network.
      await delivered
    } catch (err) {
      this.offline.drop(id)
      throw err
    }
    if (distributesTo) state.senderKeySent.add(distributesTo)
    this.sent.set(id, { id, participant: contact.lid, message })
    if (this.sent.size > 1000) this.sent.delete(this.sent.keys().next().value!)
    return { id }
  }

  /** The next bot message not yet taken (in `chat`, if given), waiting for it if needed. */
  nextReply(query: ReplyQuery = {}): Promise<BotMessage> {
    const chat = query.chat === undefined ? undefined : this.chatKey(query.chat)
    const filter: ReplyFilter = chat === undefined ? () => true : (m) => m.chat === chat
    return this.inbox.next(filter, query.timeoutMs ?? this.timeoutMs, chat ? `in ${chat}` : 'at all')
  }

  /** The next `count` bot messages quoting message `id`. */
  async repliesTo(id: string, query: ReplyQuery & { count?: number } = {}): Promise<BotMessage[]> {
    const deadline = Date.now() + (query.timeoutMs ?? this.timeoutMs)
    const chat = query.chat === undefined ? undefined : this.chatKey(query.chat)
    const out: BotMessage[] = []
    for (let i = 0; i < (query.count ?? 1); i++) {
      const filter: ReplyFilter = (m) => m.quotedId === id && (chat === undefined || m.chat === chat)
      out.push(await this.inbox.next(filter, Math.max(0, deadline - Date.now()), `quoting ${id}`))
    }
    return out
  }

  // Server-side handlers, installed on the router by install-signal.ts.

  answerUsync(iq: BinaryNode): BinaryNode {
    return answerUsync(this.host.world, iq)
  }

  answerKeyFetch(iq: BinaryNode): BinaryNode {
    return answerKeyFetch(this.host.world, currentBotDevice(this.host.world), iq)
  }

  /** The bot's `<message>`: ack it as the server, then read it as the contacts. */
  async onBotMessage(node: BinaryNode): Promise<void> {
    const stanza = parseBotStanza(node)
    this.host.sendToBot(messageAck(stanza, String(this.host.now())))
    const bot = currentBotDevice(this.host.world)
    if (!bot) {
      this.inbox.fail(`message ${stanza.id}: no bot device with uploaded keys`)
      return
    }
    const { message, failures } = await readBotStanza(this.host.world, bot, stanza)
    for (const f of failures) this.inbox.fail(`message ${stanza.id}: ${f}`)
    if (!message) return
    this.inbox.push(message)
    for (const r of contactReceipts(this.host.world, message, this.receipts, String(this.host.now()))) this.host.sendToBot(r)
  }

  onReceipt(node: BinaryNode): void {
    this.deliveries.onReceipt(node)
  }

  onAck(node: BinaryNode): void {
    this.deliveries.onAck(node)
  }

  /** The bot went active after a login: push what contacts sent meanwhile. */
  deliverOffline(send: (n: BinaryNode) => boolean): number {
    const bot = currentBotDevice(this.host.world)
    const { sent, stale } = this.offline.flush(bot ? deviceKey(bot) : undefined, send)
    for (const id of stale) this.deliveries.cancel(id, new Error('the bot was paired again before it got this message'))
    return sent
  }

  /** Rejects everything still waiting; call when the emulator stops. */
  close(): void {
    this.deliveries.close()
    this.inbox.close()
  }

  private bot(): BotDevice {
    const bot = currentBotDevice(this.host.world)
    if (!bot) throw new Error('no bot device has logged in and uploaded its prekeys yet')
    return bot
  }

  private chatKey(jid: string): string {
    if (isGroupJid(jid)) return jid
    return this.host.world.person(jid.includes('@') ? jid : `${jid.replace(/\D/g, '')}@s.whatsapp.net`)?.pn ?? jid
  }

  private quotedRef(id: string): QuotedRef {
    const ours = this.sent.get(id)
    if (ours) return ours
    const quoted = this.inbox.received.find((m) => m.id === id)
    const botLid = this.host.world.bot?.lid
    if (!quoted) return { id }
    return botLid ? { id, participant: botLid, message: quoted.raw } : { id, message: quoted.raw }
  }

}

function deviceKey(bot: BotDevice): string {
  return `${bot.address.name}.${bot.address.device}:${bot.keys.identityKey.toString('hex')}`
}
