import type { Logger } from '../logger.js'
import { WhatsAppError, type WhatsApp } from '../whatsapp/types.js'
import type { HandledLedger, StoredReply } from './handled-ledger.js'

/** Tries while the connection looks open, before a reply is given up. */
const MAX_OPEN_TRIES = 8
const MAX_BACKOFF_MS = 30_000

/** Socket errors that mean the connection went away under the send. */
const CONNECTION_CODES = new Set(['ECONNRESET', 'ECONNABORTED', 'EPIPE', 'ETIMEDOUT', 'ENOTCONN', 'ECONNREFUSED'])

/**
 * Whether a failed send may work on a later try: the connection was lost, or
 * WhatsApp did not confirm in time. Anything else (WhatsApp refusing the
 * message) fails the same way every time.
 */
export function worthRetrying(error: unknown): boolean {
  if (error instanceof WhatsAppError) {
    if (error.kind === 'not-connected' || error.kind === 'timeout') return true
    return worthRetrying(error.cause)
  }
  const code = (error as { code?: unknown } | undefined)?.code
  return typeof code === 'string' && CONNECTION_CODES.has(code)
}

interface Entry {
  chat: string
  messageId: string
  reply: StoredReply
}

/**
 * Chat replies on their way out, one chat at a time and in the order they
 * were answered. The ledger holds each one durably until WhatsApp has taken
 * it; a send the connection cut off stays first in line for its chat and goes
 * again once WhatsApp is back, under the same message id, so that a try that
 * did get through is not shown twice.
 */
export class ReplyOutbox {
  private readonly queues = new Map<string, Entry[]>()
  private readonly draining = new Map<string, Promise<void>>()
  private readonly retryTimers = new Map<string, NodeJS.Timeout>()
  private readonly openTries = new Map<string, number>()
  private readonly finishing = new Set<Promise<void>>()
  /** Chats whose next try waits for the send pacing, and how long. */
  private readonly pacedFor = new Map<string, number>()
  private unsubscribe: (() => void) | undefined
  private stopped = false

  constructor(
    private readonly whatsapp: WhatsApp,
    private readonly ledger: HandledLedger,
    private readonly logger: Logger,
    /** Show "typing…" before each reply (`messages.pacing.typing`). */
    private readonly typing = false,
  ) {}

  /** Takes up what an earlier run left unsent, and sends whenever WhatsApp opens. */
  start(): void {
    this.stopped = false
    for (const entry of this.ledger.unsent()) this.enqueue(entry)
    this.unsubscribe = this.whatsapp.onState((state) => {
      if (state !== 'open') return
      for (const chat of this.queues.keys()) {
        clearTimeout(this.retryTimers.get(chat))
        this.retryTimers.delete(chat)
        this.drain(chat)
      }
    })
    for (const chat of this.queues.keys()) this.drain(chat)
  }

  /** A reply the ledger already holds as answered. */
  add(chat: string, messageId: string, reply: StoredReply): void {
    this.enqueue({ chat, messageId, reply })
    this.drain(chat)
  }

  /** Resolves when no send is under way; replies waiting for the connection stay queued. */
  async idle(): Promise<void> {
    while (this.draining.size || this.finishing.size) await Promise.allSettled([...this.draining.values(), ...this.finishing])
  }

  /** Stops sending; what is unsent stays in the ledger for the next start. */
  async stop(): Promise<void> {
    this.stopped = true
    this.unsubscribe?.()
    for (const timer of this.retryTimers.values()) clearTimeout(timer)
    this.retryTimers.clear()
    await this.idle()
  }

  private enqueue(entry: Entry): void {
    let queue = this.queues.get(entry.chat)
    if (!queue) this.queues.set(entry.chat, (queue = []))
    if (!queue.some((e) => e.reply.id === entry.reply.id)) queue.push(entry)
  }

  private drain(chat: string): void {
    if (this.stopped || this.draining.has(chat) || this.retryTimers.has(chat)) return
    const running = this.sendAll(chat)
      .catch((error: unknown) => this.logger.error({ err: error, chat }, 'the reply outbox failed'))
      .finally(() => this.draining.delete(chat))
    this.draining.set(chat, running)
  }

  private async sendAll(chat: string): Promise<void> {
    const queue = this.queues.get(chat) ?? []
    while (queue.length && !this.stopped && this.whatsapp.state === 'open') {
      const entry = queue[0] as Entry
      const outcome = await this.send(entry)
      if (outcome === 'again') return this.retryLater(chat)
      queue.shift()
      this.openTries.delete(chat)
      if (outcome === 'sent') this.ledger.sentSoon(entry.chat, entry.messageId)
      else this.track(this.ledger.finish(entry.chat, entry.messageId))
    }
    if (!queue.length) this.queues.delete(chat)
  }

  private async send({ chat, messageId, reply }: Entry): Promise<'sent' | 'given-up' | 'again'> {
    const log = this.logger.child({ requestId: messageId, chat })
    try {
      await this.whatsapp.sendText(chat, reply.text, { quoted: reply.quoted, id: reply.id, typing: this.typing })
      return 'sent'
    } catch (error) {
      // Replies take the same paced path as every send: a reply the pacing holds back waits its turn, however long.
      if (error instanceof WhatsAppError && error.kind === 'rate-limited') {
        this.pacedFor.set(chat, (error.retryAfterSeconds ?? 1) * 1000)
        log.info({ retryAfterSeconds: error.retryAfterSeconds }, 'a chat reply waits for the send pacing')
        return 'again'
      }
      if (!worthRetrying(error)) {
        log.error({ err: error }, 'could not send a chat reply; it is given up')
        return 'given-up'
      }
      // A connection that looks open yet keeps failing must not hold the chat's later replies for ever.
      if (this.whatsapp.state === 'open') {
        const tries = (this.openTries.get(chat) ?? 0) + 1
        this.openTries.set(chat, tries)
        if (tries >= MAX_OPEN_TRIES) {
          log.error({ err: error, tries }, 'could not send a chat reply after several tries; it is given up')
          return 'given-up'
        }
      }
      log.warn({ err: error }, 'a chat reply did not get through; it goes again when WhatsApp is back')
      return 'again'
    }
  }

  /** Waits for the next 'open', or, while the connection looks open, backs off and tries again. */
  private retryLater(chat: string): void {
    if (this.stopped || this.whatsapp.state !== 'open') return
    const tries = this.openTries.get(chat) ?? 1
    const paced = this.pacedFor.get(chat)
    this.pacedFor.delete(chat)
    const timer = setTimeout(() => {
      this.retryTimers.delete(chat)
      this.drain(chat)
    }, paced ?? Math.min(MAX_BACKOFF_MS, 500 * 2 ** tries))
    timer.unref()
    this.retryTimers.set(chat, timer)
  }

  private track(write: Promise<void>): void {
    const tracked = write
      .catch((error: unknown) => this.logger.warn({ err: error }, 'could not record that a chat reply was given up; after a restart it is tried again'))
      .finally(() => this.finishing.delete(tracked))
    this.finishing.add(tracked)
  }
}
