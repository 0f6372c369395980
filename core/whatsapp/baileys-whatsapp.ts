import { setMaxListeners } from 'node:events'
import { setTimeout as sleep } from 'node:timers/promises'
import makeWASocket, { Browsers, DEFAULT_CONNECTION_CONFIG, downloadMediaMessage, generateMessageIDV2, toNumber, type BinaryNode, type WAMessage, type WASocket } from '@whiskeysockets/baileys'
import type { Config } from '../config.js'
import type { Logger } from '../logger.js'
import type { Metrics } from '../metrics/metrics.js'
import type { AuthStore } from '../storage/auth-store.js'
import { BaileysGroups } from './groups/baileys-groups.js'
import { GroupCache } from './groups/group-cache.js'
import { groupEventOf } from './groups/group-events.js'
import { GroupPacer } from './groups/group-pacer.js'
import { toIncomingMessage } from './incoming-message.js'
import { baileysLogger } from './baileys-logger.js'
import { withBoundedSessions } from './bounded-sessions.js'
import { missingPatches, PATCH_ADVICE } from './baileys-patch.js'
import { routeLibsignalConsole } from './libsignal-console.js'
import { isLid, normalizeJid, phoneDigits } from './jids.js'
import { keyOf, prepare, quotedOf } from './messages/baileys-content.js'
import { linkPreviewOf } from './messages/link-preview.js'
import { downloadable } from './messages/media-ref.js'
import type { MediaFetchLimits } from './messages/media-fetch.js'
import type { MediaDownload, MediaRef, MessageRef, NumberCheck, OutgoingMessage, Presence, SentMessage } from './messages/outgoing.js'
import { SendPacer } from './messages/send-pacer.js'
import { parseByteSize } from '../validation.js'
import { statusOfReceipt, statusOfUpdate, StatusSteps } from './message-status.js'
import { decryptUnderSendLock } from './one-session-writer.js'
import { keptBefore, READ_AGAIN_TYPE, ReadAgain } from './read-again.js'
import { closeCause, decideReconnect, inSeconds } from './reconnect-policy.js'
import { awaitServerAck } from './server-ack.js'
import { SilenceWatchdog, cutSocket, keepAliveIntervalFor } from './silence-watchdog.js'
import { WhatsAppError, type ConnectionState, type GroupEvent, type IncomingMessage, type MessageStatus, type SendOptions, type WhatsApp } from './types.js'
import { WaplugError } from '../errors.js'
import { onEventsAsEmitted, onUpsertAsEmitted } from './upserts-as-emitted.js'
import { toWhatsAppError } from './whatsapp-errors.js'

/** How long a message's receipt waits for what the listeners commit. */
const INTAKE_WAIT_MS = 5000
const TAKEN_EARLY_REMEMBERED = 2000
const earlyKey = (raw: WAMessage): string => `${raw.key.remoteJid ?? ''}/${raw.key.id ?? ''}`

/**
 * What ends with one connection. Every call waiting on it (for a pacing slot,
 * or for WhatsApp's answer) listens for that end: a busy bot has hundreds at
 * once, which Node would otherwise report as a listener leak past ten.
 */
function connectionLife(): AbortController {
  const life = new AbortController()
  setMaxListeners(0, life.signal)
  return life
}

function remember(set: Set<string>, key: string, most: number): void {
  set.add(key)
  if (set.size > most) set.delete(set.values().next().value as string)
}

/** How many of our own message ids we remember, to never answer our own replies and to name their chats in statuses. */
const OWN_IDS_REMEMBERED = 2000
/** How many sent messages' (and group members' copies') last status we remember, to report each step once. */
const STATUSES_REMEMBERED = 10_000
/** At most this long does a change WhatsApp did not answer wait for a new connection to look whether it happened. */
const SETTLE_WITHIN_MS = 10_000

export interface BaileysWhatsAppOptions {
  config: Config
  logger: Logger
  /** Where the session's credentials and keys live. */
  auth: AuthStore
  /** The session's id in the store. */
  session: string
  /** Pair by code with this number instead of a QR; default `whatsapp.pairingPhone`. */
  pairingPhone?: string | null
  /** Where the QR is drawn for a person at a terminal; none: not drawn. */
  terminal?: NodeJS.WritableStream
  /** Where group-call pacing waits are counted. */
  metrics?: Metrics
}

/** The WhatsApp service over one Baileys socket, with the reconnect policy of decideReconnect. */
export class BaileysWhatsApp implements WhatsApp {
  private sock: WASocket | undefined
  private current: ConnectionState = 'closed'
  private stopping = false
  private attempt = 0
  private retryTimer: NodeJS.Timeout | undefined
  /** Credential writes, in order; stopping and logging out wait for them. */
  private saving: Promise<void> = Promise.resolve()
  /** The chat each message the bot sent went to, by id. */
  private readonly ownIds = new Map<string, string>()
  private readonly statusSteps = new StatusSteps(STATUSES_REMEMBERED)
  /** Statuses go out in the order WhatsApp reported them, each after its jids are looked up. */
  private statusesInOrder: Promise<void> = Promise.resolve()
  /** Outlives each socket: a message is delivered again on the next connection. */
  private readonly readAgain: ReadAgain
  private unrouteConsole: (() => void) | undefined
  private readonly stateListeners = new Set<(state: ConnectionState) => void>()
  private readonly messageListeners = new Set<(message: IncomingMessage) => unknown>()
  /** Messages the listeners took before their receipt went out, which Baileys then emits again. */
  private readonly takenEarly = new Set<string>()
  private readonly groupListeners = new Set<(event: GroupEvent) => void>()
  private readonly statusListeners = new Set<(status: MessageStatus) => void>()
  private readonly log: Logger
  private readonly groupCache = new GroupCache()
  /** Aborted when the current socket's connection ends, so calls waiting on it fail at once. */
  private connection = connectionLife()
  private readonly watchdog: SilenceWatchdog
  private readonly pacer: SendPacer
  private readonly mediaLimits: MediaFetchLimits
  readonly groups: BaileysGroups
  qr: string | undefined
  pairingCode: string | undefined
  me: { jid: string; lid?: string } | undefined

  constructor(private readonly options: BaileysWhatsAppOptions) {
    this.log = options.logger.child({ component: 'whatsapp' })
    this.readAgain = new ReadAgain(
      (before) => options.auth.forget(options.session, READ_AGAIN_TYPE, keptBefore(before)),
      (error) => this.log.warn({ err: error }, 'could not forget the texts kept to read messages again'),
    )
    this.pacer = new SendPacer(options.config.messages.pacing, Date.now, options.metrics?.pacing('send', options.session))
    const { media } = options.config.messages
    this.mediaLimits = { maxBytes: parseByteSize(media.maxBytes) ?? 64 * 1024 * 1024, timeoutMs: media.fetchTimeoutMs, allow: media.allow }
    this.watchdog = new SilenceWatchdog(options.config.whatsapp.silentAfterSeconds * 1000, (sock) => this.onSilent(sock))
    this.groups = new BaileysGroups({
      connection: () => ({ socket: this.openSocket(), ended: this.connection.signal }),
      whenOpen: (withinMs) => this.whenOpen(withinMs),
      settleWithinMs: Math.min(SETTLE_WITHIN_MS, options.config.whatsapp.queryTimeoutMs),
      me: () => this.me,
      cache: this.groupCache,
      pacer: new GroupPacer({ ...options.config.whatsapp.groupCalls, ...(options.metrics ? { record: options.metrics.pacing('groups', options.session) } : {}) }),
      logger: this.log,
      emit: (event) => this.tell(this.groupListeners, event, 'a group listener'),
    })
  }

  get state(): ConnectionState {
    return this.current
  }

  get socket(): WASocket | undefined {
    return this.current === 'open' ? this.sock : undefined
  }

  onState(listener: (state: ConnectionState) => void): () => void {
    this.stateListeners.add(listener)
    return () => this.stateListeners.delete(listener)
  }

  onMessage(listener: (message: IncomingMessage) => unknown): () => void {
    this.messageListeners.add(listener)
    return () => this.messageListeners.delete(listener)
  }

  onGroupEvent(listener: (event: GroupEvent) => void): () => void {
    this.groupListeners.add(listener)
    return () => this.groupListeners.delete(listener)
  }

  onMessageStatus(listener: (status: MessageStatus) => void): () => void {
    this.statusListeners.add(listener)
    return () => this.statusListeners.delete(listener)
  }

  async start(): Promise<void> {
    this.stopping = false
    this.unrouteConsole ??= routeLibsignalConsole(this.log)
    for (const missing of missingPatches()) this.log.warn(`${missing}. ${PATCH_ADVICE}`)
    await this.connect()
  }

  async stop(): Promise<void> {
    this.stopping = true
    clearTimeout(this.retryTimer)
    this.endConnection()
    const sock = this.sock
    this.sock = undefined
    if (sock) {
      sock.ev.removeAllListeners('connection.update')
      await sock.end(undefined)
    }
    // Stopping waits for the last credential write: the next start reads it.
    await this.saving
    this.unrouteConsole?.()
    this.unrouteConsole = undefined
    this.setState('closed')
  }

  async logout(): Promise<void> {
    const sock = this.sock
    if (sock && this.current === 'open') {
      // Baileys closes with loggedOut afterwards; the close handler clears the auth, forgets the number and re-pairs.
      await sock.logout()
      return
    }
    this.me = undefined
    await this.clearAuth()
  }

  private async connect(): Promise<void> {
    const { config } = this.options
    this.setState('connecting')
    // A reconnect (the 515 after pairing, for one) must read the credentials just written.
    await this.saving
    const { state, saveCreds } = await this.options.auth.open(this.options.session)
    const baileysLog = this.options.logger.child({ component: 'baileys' }, { level: quieter(this.options.logger, config.whatsapp.logLevel) })
    const sock = makeWASocket({
      // No cache in front of the store: its reads are memory-mapped, and Baileys' cache
      // takes a write before the store has, so a failed write would leave it ahead.
      auth: { ...state, keys: withBoundedSessions(state.keys) },
      logger: baileysLogger(baileysLog),
      browser: Browsers.ubuntu('waplug'),
      ...(config.whatsapp.wsUrl ? { waWebSocketUrl: config.whatsapp.wsUrl } : {}),
      defaultQueryTimeoutMs: config.whatsapp.queryTimeoutMs,
      connectTimeoutMs: config.whatsapp.connectTimeoutMs,
      keepAliveIntervalMs: keepAliveIntervalFor(config.whatsapp.silentAfterSeconds * 1000),
      markOnlineOnConnect: false,
      // Sends to groups read members from our cache instead of asking WhatsApp each time.
      cachedGroupMetadata: async (jid) => this.groupCache.toBaileys(jid),
      // waplug's patch of Baileys awaits this before a message's delivery receipt.
      ...{ waplugBeforeReceipt: (raw: WAMessage, type: 'notify' | 'append') => this.takeBeforeReceipt(raw, type === 'append') },
    })
    this.sock = sock
    // Whether WhatsApp's address answered at all: a socket that never reached it closes as "cannot reach".
    let reached = false
    sock.ws.on('open', () => (reached = true))
    sock.ev.on('creds.update', () => {
      this.saving = this.saving
        .then(saveCreds)
        .catch((error: unknown) => this.log.error({ err: error }, 'could not save the WhatsApp credentials'))
    })
    sock.ev.on('connection.update', (update) => {
      if (this.sock !== sock) return
      if (update.qr) this.onQr(sock, update.qr)
      if (update.connection === 'open') this.onOpen(sock)
      if (update.connection === 'close') this.onClose(sock, update.lastDisconnect?.error, reached)
    })
    decryptUnderSendLock(sock)
    this.readAgain.attach(sock)
    // Taken as the frame arrives, before Baileys turns it into events: see BaileysGroups.createdNotice.
    sock.ws.on('CB:notification,type:w:gp2,create', (notification: BinaryNode) => this.groups.createdNotice(notification))
    onUpsertAsEmitted(sock, ({ messages, type }) => {
      for (const raw of messages) {
        const event = groupEventOf(raw)
        if (event === 'created') void this.groups.learn(raw.key.remoteJid ?? '')
        else if (event) this.takeGroupEvent(event)
        // 'append' is the offline backlog, and echoes of the bot's own sends, which deliver() leaves out.
        else if (type === 'notify' || type === 'append') this.deliver(raw, type === 'append')
      }
    }, (error) => this.log.error({ err: error }, 'could not take in a message'))
    onEventsAsEmitted(sock, {
      'messages.update': (updates) => {
        for (const update of updates) this.reportStatus(sock, statusOfUpdate(update))
      },
      'message-receipt.update': (receipts) => {
        for (const receipt of receipts) this.reportStatus(sock, statusOfReceipt(receipt, this.me))
      },
    }, (error) => this.log.error({ err: error }, 'could not take in a message status'))
  }

  /**
   * Tells the status listeners, once per step, with the chat the bot sent
   * to, and people by phone jid where the group's members or Baileys know it
   * (receipts name lids).
   */
  private reportStatus(sock: WASocket, status: MessageStatus | undefined): void {
    if (!status) return
    this.statusesInOrder = this.statusesInOrder
      .then(async () => {
        const chat = this.ownIds.get(status.id) ?? (await phoneJidOf(sock, status.chat))
        const recipient = status.recipient && (this.groupCache.member(status.chat, status.recipient)?.jid ?? (await phoneJidOf(sock, status.recipient)))
        const named: MessageStatus = { ...status, chat, ...(recipient ? { recipient } : {}) }
        if (this.statusSteps.advances(named)) this.tell(this.statusListeners, named, 'a message status listener')
      })
      .catch((error: unknown) => this.log.error({ err: error }, 'could not report a message status'))
  }

  private takeGroupEvent(event: GroupEvent): void {
    this.groups.take(event).catch((error: unknown) => this.log.error({ err: error }, 'could not take in a group notification'))
  }

  private onQr(sock: WASocket, qr: string): void {
    this.qr = qr
    this.setState('pairing')
    const phone = this.options.pairingPhone === undefined ? this.options.config.whatsapp.pairingPhone : this.options.pairingPhone
    if (phone && !this.pairingCode) {
      sock
        .requestPairingCode(phoneDigits(phone) ?? phone)
        .then((code) => {
          this.pairingCode = code
          this.log.info({ code }, `Pairing code for ${phone}: ${code} — on the phone open WhatsApp › Linked devices › Link with phone number`)
        })
        .catch((error: unknown) => this.log.error({ err: error }, 'could not request a pairing code'))
      return
    }
    const terminal = this.options.terminal
    if (this.options.config.whatsapp.printQr && !phone && terminal) {
      // Loaded here, not at start-up: a bot logging in from a stored session never draws one.
      import('qrcode')
        .then(({ default: QRCode }) => QRCode.toString(qr, { type: 'terminal', small: true }))
        .then((drawing) => terminal.write(`\nScan this QR with WhatsApp › Linked devices › Link a device:\n${drawing}\n`))
        .catch((error: unknown) => this.log.warn({ err: error }, 'could not draw the QR'))
    }
  }

  private onOpen(sock: WASocket): void {
    this.attempt = 0
    this.qr = undefined
    this.pairingCode = undefined
    const user = sock.user
    this.me = user ? { jid: normalizeJid(user.id), ...(user.lid ? { lid: normalizeJid(user.lid) } : {}) } : undefined
    this.log.info({ me: this.me?.jid }, 'WhatsApp connected')
    this.connection = connectionLife()
    this.watchdog.watch(sock)
    this.readAgain.opened()
    // Notifications may have been missed while away: learn every group again, in one call.
    this.groupCache.forget()
    this.setState('open')
    this.groups.list({ refresh: true }).catch((error: unknown) => this.log.warn({ err: error }, 'could not list the groups the bot is in'))
  }

  /** No packet for `silentAfterSeconds`: a dead path that would never close by itself. Treated as a drop. */
  private onSilent(sock: WASocket): void {
    if (this.sock !== sock) return
    this.log.warn({ silentForSeconds: this.options.config.whatsapp.silentAfterSeconds }, 'WhatsApp connection went silent; reconnecting')
    this.endConnection()
    cutSocket(sock, new Error('the connection went silent'))
  }

  private endConnection(): void {
    this.watchdog.stop()
    this.readAgain.closed()
    this.connection.abort(new WhatsAppError('not-connected', 'WhatsApp is not connected'))
  }

  /** True once a connection is open (a new one, if the last ended); false when none is within the time, or none will come. */
  private whenOpen(withinMs: number): Promise<boolean> {
    const isOpen = () => this.current === 'open' && this.sock !== undefined && !this.connection.signal.aborted
    if (isOpen()) return Promise.resolve(true)
    return new Promise((resolve) => {
      const done = (open: boolean) => {
        clearTimeout(timer)
        off()
        resolve(open)
      }
      const timer = setTimeout(() => done(false), withinMs)
      const off = this.onState((state) => {
        if (state === 'open') done(isOpen())
        else if (state === 'closed' || state === 'logged-out') done(false)
      })
    })
  }

  private onClose(sock: WASocket, error: unknown, reached: boolean): void {
    const statusCode = (error as { output?: { statusCode?: number } } | undefined)?.output?.statusCode
    sock.ev.removeAllListeners('connection.update')
    sock.ev.removeAllListeners('creds.update')
    this.endConnection()
    this.sock = undefined
    if (this.stopping) return this.setState('closed')
    const decision = decideReconnect(statusCode, this.attempt++)
    switch (decision.action) {
      case 'restart':
        this.log.info('WhatsApp asked for a new connection; reconnecting')
        return this.reconnectAfter(0)
      case 're-pair':
        this.log.warn(`${decision.why}; the stored session is cleared, pair again`)
        // The number is no longer this device's: nothing may show it as linked.
        this.me = undefined
        this.pairingCode = undefined
        this.setState('logged-out')
        this.clearAuth()
          .catch((error: unknown) => this.log.error({ err: error }, `could not delete the stored WhatsApp session '${this.options.session}'`))
          .finally(() => this.reconnectAfter(500))
        return
      case 'stop':
        this.log.error(`WhatsApp closed: ${decision.why}`)
        return this.setState('closed')
      case 'retry':
        this.log.warn(
          { statusCode, retryInMs: decision.delayMs },
          reached
            ? `WhatsApp connection lost: ${closeCause(error)}; reconnecting in ${inSeconds(decision.delayMs)}`
            : `cannot reach WhatsApp at ${this.wsUrl}: ${closeCause(error)}; retrying in ${inSeconds(decision.delayMs)}`,
        )
        this.setState('connecting')
        return this.reconnectAfter(decision.delayMs)
    }
  }

  private get wsUrl(): string {
    return this.options.config.whatsapp.wsUrl ?? String(DEFAULT_CONNECTION_CONFIG.waWebSocketUrl)
  }

  private retryLater(error: unknown): void {
    const decision = decideReconnect(undefined, this.attempt++)
    const delayMs = decision.action === 'retry' ? decision.delayMs : 1000
    this.log.error({ err: error, retryInMs: delayMs }, 'could not connect to WhatsApp')
    this.reconnectAfter(delayMs)
  }

  private reconnectAfter(ms: number): void {
    clearTimeout(this.retryTimer)
    this.retryTimer = setTimeout(() => {
      if (this.stopping) return
      this.connect().catch((error: unknown) => this.retryLater(error))
    }, ms)
  }

  private async clearAuth(): Promise<void> {
    await this.saving
    await this.options.auth.clear(this.options.session)
  }

  private deliver(raw: WAMessage, backlog: boolean): void {
    if (this.takenEarly.delete(earlyKey(raw))) return
    const message = this.deliverable(raw, backlog)
    if (message) void this.tellMessage(message)
  }

  /**
   * Hands a message to the listeners before Baileys sends its delivery
   * receipt, and waits for what they commit (the event in the outbox), so
   * that a crash before the commit leaves WhatsApp holding the message for
   * the next connection rather than losing it.
   */
  private async takeBeforeReceipt(raw: WAMessage, backlog: boolean): Promise<void> {
    if (groupEventOf(raw) !== undefined) return
    const message = this.deliverable(raw, backlog)
    if (!message) return
    remember(this.takenEarly, earlyKey(raw), TAKEN_EARLY_REMEMBERED)
    await this.tellMessage(message)
  }

  private deliverable(raw: WAMessage, backlog: boolean): IncomingMessage | undefined {
    if (raw.key.id && this.ownIds.has(raw.key.id)) return undefined
    // Echoes of what the bot sent other than by sendText come as 'append' too, and look like its phone's offline messages.
    if (backlog && raw.key.fromMe) return undefined
    return toIncomingMessage(raw, backlog)
  }

  /** Tells every listener; resolves once what they returned has settled, or after INTAKE_WAIT_MS. */
  private async tellMessage(message: IncomingMessage): Promise<void> {
    const waiting: Promise<unknown>[] = []
    for (const listener of this.messageListeners) {
      try {
        const outcome = listener(message)
        if (outcome instanceof Promise) waiting.push(outcome.catch((error: unknown) => this.log.error({ err: error }, 'a message listener failed')))
      } catch (error) {
        this.log.error({ err: error }, 'a message listener failed')
      }
    }
    if (!waiting.length) return
    let timer: NodeJS.Timeout | undefined
    await Promise.race([Promise.all(waiting), new Promise((resolve) => (timer = setTimeout(resolve, INTAKE_WAIT_MS)))])
    clearTimeout(timer)
  }

  private tell<T>(listeners: Set<(value: T) => void>, value: T | undefined, who: string): void {
    if (value === undefined) return
    for (const listener of listeners) {
      try {
        listener(value)
      } catch (error) {
        this.log.error({ err: error }, `${who} failed`)
      }
    }
  }

  private setState(state: ConnectionState): void {
    if (state === this.current) return
    this.current = state
    for (const listener of this.stateListeners) listener(state)
  }

  private openSocket(): WASocket {
    if (this.current !== 'open' || !this.sock) throw new WhatsAppError('not-connected', 'WhatsApp is not connected')
    return this.sock
  }

  sendText(chat: string, text: string, options: SendOptions = {}): Promise<SentMessage> {
    return this.send(chat, { kind: 'text', text }, options)
  }

  /** Paced; the content (a fetched URL, a checked file) is made once the send's turn has come. */
  send(chat: string, message: OutgoingMessage, options: SendOptions = {}): Promise<SentMessage> {
    const ended = this.connection.signal
    const cancel = options.signal ? AbortSignal.any([ended, options.signal]) : ended
    return this.pacer.run(chat, () => this.sendNow(chat, message, options), cancel)
  }

  private async sendNow(chat: string, message: OutgoingMessage, options: SendOptions): Promise<SentMessage> {
    let sock = this.openSocket()
    const isOwn = (id: string) => this.ownIds.has(id)
    const prepared = await prepare(message, options, { chat, limits: this.mediaLimits, isOwn, preview: (text) => linkPreviewOf(text, this.mediaLimits), ...(options.signal ? { signal: options.signal } : {}) })
    try {
      if (options.typing) {
        await this.showTyping(sock, chat, message, options.signal)
        sock = this.openSocket()
      }
      // Given up while it waited: nothing may go out after the caller was told it failed.
      options.signal?.throwIfAborted()
      const ended = this.connection.signal
      const id = options.id ?? generateMessageIDV2(sock.user?.id)
      // Before sending: Baileys echoes the message as an upsert while the send is under way.
      this.rememberOwn(id, chat)
      const ack = awaitServerAck(sock, id, this.options.config.whatsapp.queryTimeoutMs)
      let sent: WAMessage | undefined
      try {
        sent = await sock.sendMessage(chat, prepared.content, { messageId: id, ...(options.quoted ? { quoted: quotedOf(chat, options.quoted, isOwn) } : {}) })
        await ack.taken
      } catch (error) {
        ack.cancel()
        if (prepared.limit?.failure) throw prepared.limit.failure
        if (error instanceof WaplugError) throw error
        // The socket closing under a send fails it with whatever the socket said (a close code such as 1006): it is a lost connection.
        if (ended.aborted || this.sock !== sock) throw new WhatsAppError('not-connected', 'The connection to WhatsApp closed while the message was being sent', undefined, { cause: error })
        throw toWhatsAppError(error)
      }
      const timestamp = sent?.messageTimestamp ? toNumber(sent.messageTimestamp) : Math.floor(Date.now() / 1000)
      // The server's ack is where a message is sent; Baileys reports no status for it.
      this.reportStatus(sock, { id, chat, status: 'sent', timestamp })
      return { id, chat, timestamp }
    } finally {
      prepared.discard()
    }
  }

  /** "typing…" (or "recording…" before a voice note) for a moment that grows with the text, then the message. */
  private async showTyping(sock: WASocket, chat: string, message: OutgoingMessage, cancel?: AbortSignal): Promise<void> {
    const text = message.kind === 'text' || message.kind === 'edit' ? message.text : ''
    const ms = Math.min(this.options.config.messages.pacing.typingMaxMs, 400 + 40 * text.length)
    if (ms <= 0) return
    await sock.sendPresenceUpdate(message.kind === 'voice' ? 'recording' : 'composing', chat).catch((error: unknown) => this.log.debug({ err: error }, 'could not show typing'))
    await sleep(ms, undefined, cancel ? { signal: cancel } : {}).catch(() => undefined)
    await sock.sendPresenceUpdate('paused', chat).catch((error: unknown) => this.log.debug({ err: error }, 'could not end typing'))
  }

  async markRead(chat: string, messages: MessageRef[]): Promise<void> {
    const sock = this.openSocket()
    if (!messages.length) return
    await this.call(() => sock.readMessages(messages.map((ref) => keyOf(chat, ref, false))))
  }

  async sendPresence(chat: string, presence: Presence): Promise<void> {
    const sock = this.openSocket()
    await this.call(() => sock.sendPresenceUpdate(presence, chat))
  }

  async checkNumbers(phones: string[]): Promise<NumberCheck[]> {
    const sock = this.openSocket()
    const digits = phones.map((phone) => phoneDigits(phone))
    const asked = [...new Set(digits.filter((d): d is string => d !== undefined))]
    const found = asked.length ? ((await this.call(() => sock.onWhatsApp(...asked.map((d) => `${d}@s.whatsapp.net`)))) ?? []) : []
    return phones.map((input, index) => {
      const number = digits[index]
      const hit = number === undefined ? undefined : found.find((entry) => normalizeJid(entry.jid).startsWith(`${number}@`))
      if (!hit?.exists) return { input, exists: false }
      const lid = (hit as { lid?: unknown }).lid
      return { input, exists: true, jid: normalizeJid(hit.jid), ...(typeof lid === 'string' && lid ? { lid: normalizeJid(lid) } : {}) }
    })
  }

  async downloadMedia(message: IncomingMessage | MediaRef): Promise<MediaDownload> {
    const sock = this.openSocket()
    const raw = downloadable(message)
    const stream = await this.call(() =>
      downloadMediaMessage(raw, 'stream', {}, { logger: baileysLogger(this.log), reuploadRequest: (m) => sock.updateMediaMessage(m) }),
    )
    return { ...message.media, mimetype: message.media?.mimetype ?? 'application/octet-stream', stream }
  }

  /** A WhatsApp call whose failure is told in the runtime's words. */
  private async call<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run()
    } catch (error) {
      if (error instanceof WaplugError || error instanceof WhatsAppError) throw error
      throw toWhatsAppError(error)
    }
  }

  private rememberOwn(id: string, chat: string): void {
    this.ownIds.set(id, chat)
    if (this.ownIds.size <= OWN_IDS_REMEMBERED) return
    // By key: the oldest id goes (its value is a chat, which deleted nothing, so every id the bot sent stayed).
    const oldest = this.ownIds.keys().next()
    if (!oldest.done) this.ownIds.delete(oldest.value)
  }
}

/** The phone jid Baileys has for a lid; any other jid, or a lid it does not know, as it is. */
async function phoneJidOf(sock: WASocket, jid: string): Promise<string> {
  if (!isLid(normalizeJid(jid))) return normalizeJid(jid)
  const phone = await sock.signalRepository.lidMapping.getPNForLID(jid).catch(() => null)
  return normalizeJid(phone ?? jid)
}

/** Baileys may be quieter than the runtime, never louder: LOG_LEVEL=silent silences it too. */
function quieter(logger: Logger, level: string): string {
  const values = logger.levels.values
  return (values[level] ?? 0) >= (values[logger.level] ?? 0) ? level : logger.level
}
