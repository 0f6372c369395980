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
import { DeliveryTracker, receiptIds } from './delivery-tracker.js'
import { retryReceiptBundle } from './bundle-wire.js'
import type { PreKeyBundle } from './keys.js'
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

/** How often a contact's phone sends a message again for the bot's retry receipts before giving up. */
const MAX_RESENDS = 3
/** Baileys' nack for a message whose keys it already used: it had this message. */
const NACK_ALREADY_READ = '487'

/** A message a contact sent that the bot has not acknowledged yet. */
interface Unacknowledged {
  id: string
  t: string
  contact: ContactLike
  message: proto.IMessage
  group: string | undefined
  /** How often it went out to the bot, resends and pushes after a lost receipt included. */
  pushes: number
  resends: number
  distributesTo?: string
}

export interface SendOptions {
  /** Group jid to write in; the contact should be a member. */
  group?: string
  /** How long to wait for the bot's receipt. */
  timeoutMs?: number
  /** When the server took it (unix seconds), for a message that has waited there since; default now. */
  sentAt?: number
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
  private readonly unacknowledged = new Map<string, Unacknowledged>()
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

  /**
   * Whether the contact's message `id`, not acknowledged yet, went out to the
   * bot again as it was (pushed on a new connection after its receipt was
   * lost), rather than only once or sent anew on a retry receipt.
   */
  deliveredAgain(id: string): boolean {
    const out = this.unacknowledged.get(id)
    return out !== undefined && out.pushes - out.resends > 1
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

  /**
   * Sends any message (reaction, poll vote, …) from `contact`; resolves on the
   * bot's receipt. Like the real server, a message the bot has not
   * acknowledged is kept and pushed again when it next connects; a retry
   * receipt makes the contact send it again on a new session, as a phone does.
   */
  async send(contact: ContactLike, message: proto.IMessage, opts: SendOptions = {}): Promise<{ id: string }> {
    this.bot()
    const id = newMessageId()
    const delivered = this.deliveries.expect(id, opts.timeoutMs ?? this.timeoutMs)
    const out: Unacknowledged = { id, t: String(opts.sentAt ?? this.host.now()), contact, message, group: opts.group, pushes: 0, resends: 0 }
    this.unacknowledged.set(id, out)
    try {
      try {
        await this.transmit(out)
      } catch (err) {
        this.deliveries.cancel(id, err as Error)
        await delivered.catch(() => undefined)
        throw err
      }
      await delivered
    } finally {
      this.offline.drop(id)
      this.unacknowledged.delete(id)
    }
    if (out.distributesTo) contactSignal(contact).senderKeySent.add(out.distributesTo)
    this.sent.set(id, { id, participant: contact.lid, message })
    if (this.sent.size > 1000) this.sent.delete(this.sent.keys().next().value!)
    return { id }
  }

  /** Encrypts `out` (on a new session from `fresh`, for a resend) and pushes it, or keeps it for the bot's next login. */
  private transmit(out: Unacknowledged, fresh?: PreKeyBundle): Promise<void> {
    const state = contactSignal(out.contact)
    return state.serial(async () => {
      const bot = this.bot()
      const sender = { lid: out.contact.lid, pn: out.contact.jid, pushName: out.contact.name }
      const prepared = await prepareStanza(state, bot, { id: out.id, t: out.t, sender, message: out.message, ...(out.group ? { group: out.group } : {}) }, fresh)
      const connection = this.host.session?.()?.id
      const pushed = this.host.sendToBot(prepared.stanza)
      if (pushed) out.pushes++
      this.offline.add(out.id, prepared.stanza, deviceKey(bot), pushed ? connection : undefined)
      if (prepared.distributesTo) out.distributesTo = prepared.distributesTo
    })
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
    if (node.attrs.type === 'retry' && this.resend(node)) return
    // The server forgets a message once the bot has it.
    if (node.attrs.type !== 'retry') for (const id of receiptIds(node)) this.offline.drop(id)
    this.deliveries.onReceipt(node)
  }

  onAck(node: BinaryNode): void {
    const out = node.attrs.id ? this.unacknowledged.get(node.attrs.id) : undefined
    // The client nacks what it could not decrypt right after asking for it again; the resend answers both.
    if (out && out.resends > 0) return
    // A copy pushed again after a lost receipt, refused because the client's session is already past it: it has the message.
    if (out && out.pushes > 1 && node.attrs.class === 'message' && node.attrs.error === NACK_ALREADY_READ) {
      this.offline.drop(out.id)
      this.deliveries.onReceipt({ tag: 'receipt', attrs: { id: out.id } })
      return
    }
    this.deliveries.onAck(node)
  }

  /**
   * A retry receipt: the bot could not decrypt a message (e.g. it got it a
   * second time, its session already past it). The contact sends the message
   * again, same id: on a new session started from the fresh prekey bundle the
   * receipt carries (the client puts one in from its second retry), else on
   * the session it has, encrypted anew. False once it gave up.
   */
  private resend(receipt: BinaryNode): boolean {
    const out = receipt.attrs.id ? this.unacknowledged.get(receipt.attrs.id) : undefined
    if (!out || out.resends >= MAX_RESENDS) return false
    out.resends++
    this.transmit(out, retryReceiptBundle(receipt)).catch((err: unknown) => this.deliveries.cancel(out.id, err as Error))
    return true
  }

  /** The bot went active after a login on `connection`: push what it has not acknowledged. */
  deliverOffline(connection: number, send: (n: BinaryNode) => boolean): number {
    const bot = currentBotDevice(this.host.world)
    const { sent, stale } = this.offline.flush(bot ? deviceKey(bot) : undefined, connection, send)
    for (const id of sent) {
      const out = this.unacknowledged.get(id)
      if (out) out.pushes++
    }
    for (const id of stale) this.deliveries.cancel(id, new Error('the bot was paired again before it got this message'))
    return sent.length
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
