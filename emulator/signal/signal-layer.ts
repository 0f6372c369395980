// Signal-encrypted messages between the bots and the simulated contacts: the
// server-side answers a client needs to send (usync, prekey fetch), reading
// what a bot sent (and relaying it to the other bots it is for), and contacts
// writing to bots. One per emulator, whatever the number of bots.
import type { BinaryNode, proto } from '@whiskeysockets/baileys'
import { botDeviceOf, deviceKey, targetBotDevice } from './bot-device.js'
import type { BotDevice } from './bot-device.js'
import type { Forward } from './bot-forward.js'
import { readBotStanza } from './bot-reader.js'
import type { BotMessage } from './bot-message.js'
import { contactReceipts } from './contact-receipts.js'
import type { ReceiptMode } from './contact-receipts.js'
import { contactSignal } from './contact-state.js'
import { prepareStanzas } from './contact-sender.js'
import { DeliveryTracker, receiptIds } from './delivery-tracker.js'
import { retryReceiptBundle } from './bundle-wire.js'
import type { PreKeyBundle } from './keys.js'
import { isGroupJid } from './jids.js'
import { answerKeyFetch } from './key-fetch-answer.js'
import { newMessageId } from './message-ids.js'
import { messageAck, parseBotStanza } from './outgoing-stanza.js'
import { OfflineQueue } from './offline-queue.js'
import { ActivityInbox } from './bot-activity.js'
import type { BotActivity, ChatState } from './bot-activity.js'
import { ReplyInbox } from './reply-inbox.js'
import { SimContact } from './sim-contact.js'
import type { ReplyFilter } from './reply-inbox.js'
import type { BotLike, ContactLike, SignalHost } from './signal-host.js'
import type { DeviceAddress } from './signal-peer.js'
import { mediaPart, readMedia } from './media-message.js'
import type { MediaStoreLike } from './media-message.js'
import { textMessage, unwrap } from './text-message.js'
import type { QuotedRef } from './text-message.js'
import { answerUsync } from './usync-answer.js'

/** How often a contact's phone sends a message again for the bot's retry receipts before giving up. */
const MAX_RESENDS = 3
/** Baileys' nack for a message whose keys it already used: it had this message. */
const NACK_ALREADY_READ = '487'

/** One message on its way to one bot. */
interface Delivery {
  bot: BotLike
  /** How often it went out to this bot, resends and pushes after a lost receipt included. */
  pushes: number
  resends: number
  /** Set when it hands this bot device the contact's sender key. */
  distributed?: { group: string; address: DeviceAddress }
}

/** A message a contact sent that not every bot it went to has acknowledged yet. */
interface Unacknowledged {
  id: string
  t: string
  contact: ContactLike
  message: proto.IMessage
  group: string | undefined
  /** By bot phone: a group message goes to every bot in the group. */
  deliveries: Map<string, Delivery>
}

export interface SendOptions {
  /**
   * Group jid to write in; the contact should be a member. The message goes
   * to every bot in the group, and resolves once each has acknowledged it.
   */
  group?: string
  /** The bot to write to in a 1:1 chat (phone, pn or lid jid); default the first bot. Not for groups. */
  to?: string
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
  /** Only what this bot (phone, pn or lid jid) sent; any bot when omitted. */
  bot?: string
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
  /** Read receipts, chat states and presence the bots sent. */
  readonly activity = new ActivityInbox()
  /** By bot phone: what waits for that bot's receipt. */
  private readonly offline = new Map<string, OfflineQueue>()
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

  /** Everything the bots have sent to simulated contacts so far, oldest first. */
  get replies(): readonly BotMessage[] {
    return this.inbox.received
  }

  /** Recent problems reading the bots' messages (kept for diagnostics). */
  get failures(): readonly string[] {
    return this.inbox.failures
  }

  /**
   * Whether the contact's message `id`, not acknowledged yet, went out to a
   * bot again as it was (pushed on a new connection after its receipt was
   * lost), rather than only once or sent anew on a retry receipt.
   */
  deliveredAgain(id: string): boolean {
    const out = this.unacknowledged.get(id)
    return out !== undefined && [...out.deliveries.values()].some((delivery) => delivery.pushes - delivery.resends > 1)
  }

  /** A world contact (by phone, phone jid or LID) as a handle that can talk. */
  contact(phoneOrJid: string): SimContact {
    const c = this.host.world.contact(phoneOrJid)
    if (!c) throw new Error(`no simulated contact ${phoneOrJid}; add it to the world first`)
    return new SimContact(this, c)
  }

  /** Sends `text` from `contact` and resolves once the bot (each bot, in a group) has acknowledged it with a receipt. */
  say(contact: ContactLike, text: string, opts: SayOptions = {}): Promise<{ id: string }> {
    const quoted = opts.quoted ? { quoted: this.quotedRef(opts.quoted) } : {}
    return this.send(contact, textMessage(text, { mentions: opts.mentions ?? [], ...quoted }), opts)
  }

  /**
   * Sends any message (reaction, poll vote, …) from `contact`; resolves on the
   * receipt of each bot it went to. Like the real server, a message a bot has
   * not acknowledged is kept and pushed again when it next connects; a retry
   * receipt makes the contact send it again on a new session, as a phone does.
   */
  async send(contact: ContactLike, message: proto.IMessage, opts: SendOptions = {}): Promise<{ id: string }> {
    const targets = this.targets(opts)
    const id = newMessageId()
    const timeoutMs = opts.timeoutMs ?? this.timeoutMs
    const out: Unacknowledged = { id, t: String(opts.sentAt ?? this.host.now()), contact, message, group: opts.group, deliveries: new Map() }
    const delivered = targets.map((target) => {
      out.deliveries.set(target.bot.phone, { bot: target.bot, pushes: 0, resends: 0 })
      return this.deliveries.expect(id, timeoutMs, target.bot.phone)
    })
    this.unacknowledged.set(id, out)
    // One bot failing fails the send; the others stop waiting with it.
    const cancelAll = async (err: unknown): Promise<never> => {
      for (const phone of out.deliveries.keys()) this.deliveries.cancel(id, err as Error, phone)
      await Promise.allSettled(delivered)
      throw err
    }
    try {
      await this.transmit(out, targets.map((t) => t.bot)).catch(cancelAll)
      await Promise.all(delivered).catch(cancelAll)
    } finally {
      for (const phone of out.deliveries.keys()) this.offlineOf(phone).drop(id)
      this.unacknowledged.delete(id)
    }
    const state = contactSignal(contact)
    for (const d of out.deliveries.values()) if (d.distributed) state.markKeySent(d.distributed.address, d.distributed.group)
    this.sent.set(id, { id, participant: contact.lid, message })
    if (this.sent.size > 1000) this.sent.delete(this.sent.keys().next().value!)
    return { id }
  }

  /** The bots a message goes to: the one asked for (1:1), or every bot in the group. */
  private targets(opts: SendOptions): BotDevice[] {
    const { world } = this.host
    const g = opts.group === undefined ? undefined : world.group(opts.group)
    // A group the world does not keep (a layer driven without a server) goes to the first bot.
    if (!g) return [targetBotDevice(world, opts.to)]
    const inGroup = [...world.bots.values()].filter((b) => g.member(b.lid))
    if (!inGroup.length) throw new Error(`no bot is in ${opts.group}`)
    const devices = inGroup.map((b) => botDeviceOf(world, b)).filter((d): d is BotDevice => d !== undefined)
    if (!devices.length) throw new Error('no bot device has logged in and uploaded its prekeys yet')
    return devices
  }

  /** Encrypts `out` for `bots` (on a new session from `fresh`, for a resend) and pushes it, or keeps it for each bot's next login. */
  private transmit(out: Unacknowledged, bots: BotLike[], fresh?: PreKeyBundle): Promise<void> {
    const state = contactSignal(out.contact)
    return state.serial(async () => {
      const devices = bots.map((b) => {
        const device = botDeviceOf(this.host.world, b)
        if (!device) throw new Error(`bot ${b.phone} has no device with uploaded prekeys any more`)
        return device
      })
      const sender = { lid: out.contact.lid, pn: out.contact.jid, pushName: out.contact.name }
      const what = { id: out.id, t: out.t, sender, message: out.message, ...(out.group ? { group: out.group } : {}) }
      for (const p of await prepareStanzas(state, devices, what, fresh)) {
        const delivery = out.deliveries.get(p.bot.bot.phone)
        const pushed = this.push(p.bot, out.id, p.stanza)
        if (pushed && delivery) delivery.pushes++
        if (p.distributesTo && delivery) delivery.distributed = { group: p.distributesTo, address: p.bot.address }
      }
    })
  }

  /** Pushes `stanza` to its bot if connected, and keeps it until that bot's receipt either way. */
  private push(to: BotDevice, id: string, stanza: BinaryNode): boolean {
    const connection = this.host.session?.(to.bot)?.id
    const pushed = this.host.sendToBot(stanza, to.bot)
    this.offlineOf(to.bot.phone).add(id, stanza, deviceKey(to), pushed ? connection : undefined)
    return pushed
  }

  private offlineOf(phone: string): OfflineQueue {
    let queue = this.offline.get(phone)
    if (!queue) this.offline.set(phone, (queue = new OfflineQueue()))
    return queue
  }

  /** The next bot message not yet taken (in `chat`, from `bot`, if given), waiting for it if needed. */
  nextReply(query: ReplyQuery = {}): Promise<BotMessage> {
    const chat = query.chat === undefined ? undefined : this.chatKey(query.chat)
    const bot = this.botKey(query.bot)
    const filter: ReplyFilter = (m) => (chat === undefined || m.chat === chat) && (bot === undefined || m.bot === bot)
    const what = [chat ? `in ${chat}` : '', bot ? `from ${bot}` : ''].filter(Boolean).join(' ') || 'at all'
    return this.inbox.next(filter, query.timeoutMs ?? this.timeoutMs, what)
  }

  /** The next `count` bot messages quoting message `id`. */
  async repliesTo(id: string, query: ReplyQuery & { count?: number } = {}): Promise<BotMessage[]> {
    const deadline = Date.now() + (query.timeoutMs ?? this.timeoutMs)
    const chat = query.chat === undefined ? undefined : this.chatKey(query.chat)
    const bot = this.botKey(query.bot)
    const out: BotMessage[] = []
    for (let i = 0; i < (query.count ?? 1); i++) {
      const filter: ReplyFilter = (m) => m.quotedId === id && (chat === undefined || m.chat === chat) && (bot === undefined || m.bot === bot)
      out.push(await this.inbox.next(filter, Math.max(0, deadline - Date.now()), `quoting ${id}`))
    }
    return out
  }

  // Server-side handlers, installed on the router by install-signal.ts.
  // `from` is the bot whose connection sent the stanza; the first bot when left out.

  answerUsync(iq: BinaryNode, from?: BotLike): BinaryNode {
    return answerUsync(this.host.world, iq, from ?? this.host.world.bot)
  }

  answerKeyFetch(iq: BinaryNode): BinaryNode {
    return answerKeyFetch(this.host.world, iq)
  }

  /** A bot's `<message>`: ack it as the server, read it as the contacts, relay it to the other bots it is for. */
  async onBotMessage(node: BinaryNode, from?: BotLike): Promise<void> {
    const stanza = parseBotStanza(node)
    const sender = from ?? this.host.world.bot
    const t = String(this.host.now())
    this.host.sendToBot(messageAck(stanza, t), sender)
    const bot = botDeviceOf(this.host.world, sender)
    if (!bot) {
      this.inbox.fail(`message ${stanza.id}: no bot device with uploaded keys`)
      return
    }
    const { message, failures, forwards } = await readBotStanza(this.host.world, bot, stanza, t)
    for (const f of failures) this.inbox.fail(`message ${stanza.id}: ${f}`)
    for (const f of forwards) this.forward(f)
    if (!message) return
    this.readMediaOf(message)
    this.inbox.push(message)
    for (const r of contactReceipts(this.host.world, message, this.receipts, String(this.host.now()))) this.host.sendToBot(r, sender)
  }

  /** Downloads and decrypts a media message's blob, as the receiving phone would, before tests see it. */
  private readMediaOf(message: BotMessage): void {
    const part = mediaPart(unwrap(message.raw))
    if (!part) return
    try {
      if (!this.host.media) throw new Error('no media host in this emulator')
      message.media = readMedia(this.host.media, part.kind, part.fields)
    } catch (err) {
      message.mediaError = (err as Error).message
      this.inbox.fail(`message ${message.id}: ${message.mediaError}`)
    }
  }

  /** Another bot's message for `f.to`: kept like a contact's until that bot's receipt. */
  private forward(f: Forward): void {
    const id = f.stanza.attrs.id
    if (id) this.push(f.to, id, f.stanza)
  }

  onReceipt(node: BinaryNode, from?: BotLike): void {
    const bot = from ?? this.host.world.bot
    if (!bot) return
    if (node.attrs.type === 'retry' && this.resend(node, bot)) return
    this.noteBotRead(node, bot)
    for (const id of receiptIds(node)) {
      // The server forgets a message once the bot has it; a relayed bot message once the bot answered at all.
      const ours = this.unacknowledged.get(id)?.deliveries.has(bot.phone) === true
      if (node.attrs.type !== 'retry' || !ours) this.offlineOf(bot.phone).drop(id)
    }
    this.deliveries.onReceipt(node, bot.phone)
  }

  onAck(node: BinaryNode, from?: BotLike): void {
    const bot = from ?? this.host.world.bot
    const id = node.attrs.id
    if (!bot || !id) return
    const delivery = this.unacknowledged.get(id)?.deliveries.get(bot.phone)
    if (!delivery) {
      // A bot refusing a message relayed from another bot: pushing it again would not help.
      if (node.attrs.class === 'message' && node.attrs.error) this.offlineOf(bot.phone).drop(id)
      return
    }
    // The client nacks what it could not decrypt right after asking for it again; the resend answers both.
    if (delivery.resends > 0) return
    // A copy pushed again after a lost receipt, refused because the client's session is already past it: it has the message.
    if (delivery.pushes > 1 && node.attrs.class === 'message' && node.attrs.error === NACK_ALREADY_READ) {
      this.offlineOf(bot.phone).drop(id)
      this.deliveries.onReceipt({ tag: 'receipt', attrs: { id } }, bot.phone)
      return
    }
    this.deliveries.onAck(node, bot.phone)
  }

  /**
   * A retry receipt: the bot could not decrypt a message (e.g. it got it a
   * second time, its session already past it). The contact sends the message
   * again to that bot, same id: on a new session started from the fresh
   * prekey bundle the receipt carries (the client puts one in from its
   * second retry), else on the session it has, encrypted anew. False once it
   * gave up.
   */
  private resend(receipt: BinaryNode, bot: BotLike): boolean {
    const out = receipt.attrs.id ? this.unacknowledged.get(receipt.attrs.id) : undefined
    const delivery = out?.deliveries.get(bot.phone)
    if (!out || !delivery || delivery.resends >= MAX_RESENDS) return false
    delivery.resends++
    this.transmit(out, [bot], retryReceiptBundle(receipt)).catch((err: unknown) => this.deliveries.cancel(out.id, err as Error, bot.phone))
    return true
  }

  /** A bot (default: the first) went active after a login on `connection`: push what it has not acknowledged. */
  deliverOffline(connection: number, send: (n: BinaryNode) => boolean, to?: BotLike): number {
    const bot = to ?? this.host.world.bot
    if (!bot) return 0
    const device = botDeviceOf(this.host.world, bot)
    const { sent, stale } = this.offlineOf(bot.phone).flush(device ? deviceKey(device) : undefined, connection, send)
    for (const id of sent) {
      const delivery = this.unacknowledged.get(id)?.deliveries.get(bot.phone)
      if (delivery) delivery.pushes++
    }
    for (const id of stale) this.deliveries.cancel(id, new Error('the bot was paired again before it got this message'), bot.phone)
    return sent.length
  }

  /** Rejects everything still waiting; call when the emulator stops. */
  close(): void {
    this.deliveries.close()
    this.inbox.close()
    this.activity.close()
  }

  /** The media store contacts upload to; throws when the emulator has no media host. */
  mediaStore(): MediaStoreLike {
    if (!this.host.media) throw new Error('this emulator has no media host; start it with startEmulator()')
    return this.host.media
  }

  /** A message a bot sent, by id (taken by a test or not). */
  botMessage(id: string): BotMessage | undefined {
    return this.inbox.received.find((m) => m.id === id)
  }

  /** The phone jid of the bot `phoneOrJid` names, or of the first bot. */
  botJid(phoneOrJid?: string): string {
    const bot = phoneOrJid === undefined ? this.host.world.bot : this.host.world.botOf(phoneOrJid)
    if (!bot) throw new Error(`no bot ${phoneOrJid ?? 'paired yet'}`)
    return bot.jid
  }

  /** A message a contact sent through this layer, by id. */
  contactMessage(id: string): QuotedRef | undefined {
    return this.sent.get(id)
  }

  /**
   * The contact's phone acknowledges bot messages: `read` (blue ticks),
   * `played` (a voice note listened to) or delivered. One receipt per bot and chat, the first id in the stanza and
   * the rest in a `<list>`, as phones batch them.
   */
  receipt(contact: ContactLike, ids: string[], type: 'read' | 'played' | 'delivered'): number {
    const byChat = new Map<string, { bot: BotLike; chat: string; ids: string[] }>()
    for (const id of ids) {
      const m = this.botMessage(id)
      if (!m) throw new Error(`no bot message ${id} reached the contacts; ids: ${this.inbox.received.slice(-5).map((r) => r.id).join(', ')}`)
      const bot = this.host.world.botOf(m.bot)
      if (!bot) continue
      const k = `${bot.phone} ${m.chat}`
      const entry = byChat.get(k) ?? { bot, chat: m.chat, ids: [] }
      entry.ids.push(id)
      byChat.set(k, entry)
    }
    let sent = 0
    for (const { bot, chat, ids: batch } of byChat.values()) {
      const attrs: Record<string, string> = isGroupJid(chat) ? { from: chat, participant: contact.lid } : { from: contact.lid }
      attrs.id = batch[0]!
      attrs.t = String(this.host.now())
      if (type !== 'delivered') attrs.type = type
      const rest = batch.slice(1).map((id) => ({ tag: 'item', attrs: { id } }))
      const node: BinaryNode = rest.length ? { tag: 'receipt', attrs, content: [{ tag: 'list', attrs: {}, content: rest }] } : { tag: 'receipt', attrs }
      if (this.host.sendToBot(node, bot)) sent++
    }
    return sent
  }

  /** The next read receipt, chat state or presence from a bot (in `chat`, if given). */
  nextActivity(kind: BotActivity['kind'], query: ReplyQuery = {}): Promise<BotActivity> {
    const chat = query.chat === undefined ? undefined : this.chatKey(query.chat)
    const bot = this.botKey(query.bot)
    return this.activity.next(
      (a) => a.kind === kind && (bot === undefined || a.bot === bot) && (chat === undefined || !('chat' in a) || a.chat === chat),
      query.timeoutMs ?? this.timeoutMs,
      `${kind}${chat ? ` in ${chat}` : ''}`,
    )
  }

  /** A bot's own `<receipt>`: its read receipts for contacts' messages are shown to them. */
  private noteBotRead(node: BinaryNode, bot: BotLike): void {
    if (node.attrs.type !== 'read' && node.attrs.type !== 'read-self') return
    const to = node.attrs.to
    if (!to) return
    this.activity.push({ kind: 'read', bot: bot.jid, chat: this.chatKey(to), ids: receiptIds(node) })
  }

  /** `<chatstate to><composing|paused/></chatstate>` and `<presence type>` from a bot. */
  onBotPresence(node: BinaryNode, from?: BotLike): void {
    const bot = from ?? this.host.world.bot
    if (!bot) return
    if (node.tag === 'presence') {
      const type = node.attrs.type
      if (type === 'available' || type === 'unavailable') this.activity.push({ kind: 'presence', bot: bot.jid, state: type })
      return
    }
    const to = node.attrs.to
    const first = Array.isArray(node.content) ? node.content[0] : undefined
    if (!to || !first) return
    const state: ChatState | undefined =
      first.tag === 'composing' ? (first.attrs.media === 'audio' ? 'recording' : 'composing') : first.tag === 'paused' ? 'paused' : undefined
    if (state) this.activity.push({ kind: 'chatstate', bot: bot.jid, chat: this.chatKey(to), state })
  }

  private chatKey(jid: string): string {
    if (isGroupJid(jid)) return jid
    return this.host.world.person(jid.includes('@') ? jid : `${jid.replace(/\D/g, '')}@s.whatsapp.net`)?.pn ?? jid
  }

  private botKey(phoneOrJid: string | undefined): string | undefined {
    if (phoneOrJid === undefined) return undefined
    return this.host.world.botOf(phoneOrJid)?.jid ?? phoneOrJid
  }

  private quotedRef(id: string): QuotedRef {
    const ours = this.sent.get(id)
    if (ours) return ours
    const quoted = this.inbox.received.find((m) => m.id === id)
    if (!quoted) return { id }
    const botLid = this.host.world.botOf(quoted.bot)?.lid
    return botLid ? { id, participant: botLid, message: quoted.raw } : { id, message: quoted.raw }
  }
}
