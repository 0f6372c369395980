import type { Logger } from '../logger.js'
import type { PluginStore } from '../storage/plugin-store.js'
import type { IncomingMessage } from '../whatsapp/types.js'
import { chatKeys } from './chat-keys.js'

/** A reply as the outbox keeps it until WhatsApp has taken it. */
export interface StoredReply {
  /** The reply's own message id, chosen before the first try so that every try is the same message. */
  id: string
  text: string
  /** Orders replies across chats and restarts: earlier answers go out first. */
  seq: number
  /** The command it answers, which it quotes. */
  quoted: IncomingMessage
}

/**
 * What became of one message. `at` is when it was first taken (ms); `run`
 * names the runtime start that took it, so a `started` left by an earlier
 * start means a crash cut the handler off, and `message` is what to answer.
 */
export type HandledRecord =
  | { state: 'received'; at: number; run: string; message: IncomingMessage }
  | { state: 'started'; at: number; run: string; message: IncomingMessage }
  | { state: 'answered'; at: number; run: string; reply: StoredReply }
  | { state: 'done'; at: number }

/**
 * `new`: run it. `seen`: it was handled, is running, or its answer waits in
 * the outbox; do nothing. `interrupted`: an earlier start began it and never
 * finished, so whether it took effect is unknown.
 */
export type Decision = 'new' | 'seen' | 'interrupted'

export function decide(record: HandledRecord | undefined, run: string): Decision {
  // Received but never begun: nothing of it has happened.
  if (!record || record.state === 'received') return 'new'
  if (record.state === 'started' && record.run !== run) return 'interrupted'
  return 'seen'
}

export interface Retention {
  /** How long a finished record is kept (ms): while WhatsApp might still deliver its message again. */
  doneMs: number
  /** How long an answer may wait for the connection (ms) before it is given up. */
  answeredMs: number
  /** At most this many records; beyond it the oldest finished ones go first. */
  records: number
}

/** After this many new messages the records are pruned again. */
const PRUNE_EVERY = 1000
/** Records a prune reads before it lets other work run: about a millisecond's worth. */
const PRUNE_SLICE = 250
/** Sent answers are marked done together, one disk sync for all, this long after the first of them. */
const SENT_MARKS_EVERY_MS = 250

/**
 * The durable record of which messages the chat side has taken and what it
 * answered, so that a message WhatsApp delivers twice runs once, and an
 * answer survives a lost connection or a restart. Every write resolves once
 * it is on disk.
 */
export class HandledLedger {
  private sinceLastPrune = 0
  private pruning: Promise<unknown> = Promise.resolve()
  /** Answers WhatsApp has taken, not yet marked so on disk; a crash before the mark sends them again, under the same ids. */
  private readonly sent = new Map<string, { chat: string; messageId: string }>()
  private marking: NodeJS.Timeout | undefined
  private marks: Promise<void> = Promise.resolve()

  constructor(
    private readonly store: PluginStore,
    /** This runtime start. */
    readonly run: string,
    private readonly retention: Retention,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  decide(chat: string, messageId: string): Decision {
    return decide(this.store.get<HandledRecord>(chatKeys.handled(chat, messageId)), this.run)
  }

  /**
   * Durable before WhatsApp is told the command arrived: a crash before its
   * handler begins leaves it to run at the next start (WhatsApp, told it
   * arrived, would not deliver it again). What is recorded already stays.
   */
  async receive(message: IncomingMessage): Promise<void> {
    const received: HandledRecord = { state: 'received', at: this.now(), run: this.run, message }
    await this.store.update<HandledRecord>(chatKeys.handled(message.chat, message.id), (record) => record ?? received)
  }

  /** Durable before the handler runs: a crash from here on leaves the mark behind. `message`: storable. */
  async start(message: IncomingMessage): Promise<void> {
    if (++this.sinceLastPrune >= PRUNE_EVERY) {
      this.sinceLastPrune = 0
      this.pruning = this.prune().catch((error: unknown) => this.logger.warn({ err: error }, 'could not prune the record of handled chat messages'))
    }
    const record: HandledRecord = { state: 'started', at: this.now(), run: this.run, message }
    await this.store.set(chatKeys.handled(message.chat, message.id), record)
  }

  /** The answer, durable before anyone is sent it. */
  async answer(chat: string, messageId: string, reply: StoredReply): Promise<void> {
    await this.store.update<HandledRecord>(chatKeys.handled(chat, messageId), (record) => ({ state: 'answered', at: record?.at ?? this.now(), run: this.run, reply }))
  }

  /** Nothing more to do for this message: its answer went out, or there was none, or it cannot be sent. */
  async finish(chat: string, messageId: string): Promise<void> {
    await this.store.update<HandledRecord>(chatKeys.handled(chat, messageId), (record) => ({ state: 'done', at: record?.at ?? this.now() }))
  }

  /**
   * Its answer went out. Marked on disk a moment later, with the others sent
   * meanwhile, rather than one disk sync for each answer.
   */
  sentSoon(chat: string, messageId: string): void {
    this.sent.set(chatKeys.handled(chat, messageId), { chat, messageId })
    if (this.marking) return
    this.marking = setTimeout(() => void this.markSent(), SENT_MARKS_EVERY_MS)
    // A process that ends without stopping sends these again on its next start, under the same ids: no harm.
    this.marking.unref()
  }

  /** Writes the marks of sent answers now; resolves when they are on disk. */
  markSent(): Promise<void> {
    clearTimeout(this.marking)
    this.marking = undefined
    const due = [...this.sent.values()]
    this.sent.clear()
    // Issued together, they share one transaction and one sync.
    const written = Promise.all(due.map(({ chat, messageId }) => this.finish(chat, messageId))).then(() => undefined)
    this.marks = Promise.all([this.marks, written]).then(() => undefined)
    this.marks.catch((error: unknown) => this.logger.warn({ err: error }, 'could not mark chat answers as sent; after a restart they go again, under the same ids'))
    return written
  }

  /** Whether this message's answer still waits to go out. */
  waiting(chat: string, messageId: string): boolean {
    if (this.sent.has(chatKeys.handled(chat, messageId))) return false
    return this.store.get<HandledRecord>(chatKeys.handled(chat, messageId))?.state === 'answered'
  }

  /**
   * What an earlier start left: commands it began and never finished (a crash
   * cut them off), and commands it received and never began. Oldest first.
   */
  leftOver(): { message: IncomingMessage; begun: boolean }[] {
    const out: { message: IncomingMessage; begun: boolean }[] = []
    for (const key of this.store.keys({ prefix: chatKeys.allHandled() })) {
      const record = this.store.get<HandledRecord>(key)
      if ((record?.state !== 'started' && record?.state !== 'received') || record.run === this.run) continue
      // Only commands are recorded, and they are text: records written before messages had a kind lack it.
      out.push({ message: { ...record.message, kind: record.message.kind ?? 'text' }, begun: record.state === 'started' })
    }
    return out.sort((a, b) => a.message.timestamp - b.message.timestamp)
  }

  /** Answers still to send, earliest first: what a crash or a lost connection left in the outbox. */
  unsent(): { chat: string; messageId: string; reply: StoredReply }[] {
    const out: { chat: string; messageId: string; reply: StoredReply }[] = []
    for (const key of this.store.keys({ prefix: chatKeys.allHandled() })) {
      const record = this.store.get<HandledRecord>(key)
      if (record?.state !== 'answered') continue
      out.push({ chat: record.reply.quoted.chat, messageId: record.reply.quoted.id, reply: record.reply })
    }
    return out.sort((a, b) => a.reply.seq - b.reply.seq)
  }

  /**
   * Deletes what is past its time, then the oldest finished records beyond
   * the size limit, so the record cannot grow without end. Resolves with how
   * many were deleted.
   *
   * A busy number holds tens of thousands of records, and reading one costs
   * a few microseconds: read in one go, that stopped the event loop for a
   * quarter of a second at 50,000. So the walk goes a slice at a time and
   * lets other work run in between; each slice's expired records are deleted
   * as it is read, and the oldest beyond the limit only if still as read.
   */
  async prune(): Promise<number> {
    const now = this.now()
    const prefix = chatKeys.allHandled()
    const finished: { key: string; at: number }[] = []
    const deletes: Promise<boolean>[] = []
    let kept = 0
    for (let page = this.store.keys({ prefix, limit: PRUNE_SLICE }); page.length > 0; ) {
      for (const key of page) {
        const record = this.store.get<HandledRecord>(key)
        if (!record) continue
        const keepFor = record.state === 'answered' ? this.retention.answeredMs : this.retention.doneMs
        if (now - record.at > keepFor) {
          deletes.push(this.store.delete(key))
          continue
        }
        kept++
        if (record.state === 'done') finished.push({ key, at: record.at })
      }
      const last = page.at(-1)
      await new Promise((resolve) => setImmediate(resolve))
      page = this.store.keys({ prefix, after: last, limit: PRUNE_SLICE })
    }
    const over = Math.max(0, kept - this.retention.records)
    for (const { key, at } of finished.sort((a, b) => a.at - b.at).slice(0, over)) {
      const record = this.store.get<HandledRecord>(key)
      if (record?.state === 'done' && record.at === at) deletes.push(this.store.delete(key))
    }
    await Promise.all(deletes)
    return deletes.length
  }

  /** Writes what is pending and waits for a prune under way, so the store can close. */
  async settled(): Promise<void> {
    await this.markSent().catch(() => undefined)
    await this.marks.catch(() => undefined)
    await this.pruning
  }
}
