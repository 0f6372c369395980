import type { Database } from 'lmdb'
import type { DeliveryAttempt, NewEvent, Outbox, OutboxEvent, PendingDelivery } from './outbox.js'

const pad = (n: number) => String(n).padStart(15, '0')
const EVENTS = 'e/'
const eventKey = (seq: number) => `${EVENTS}${pad(seq)}`
const pendingPrefix = (subscription: string) => `p/${subscription}/`
const pendingKey = (subscription: string, seq: number) => `${pendingPrefix(subscription)}${pad(seq)}`
const attemptPrefix = (subscription: string) => `a/${subscription}/`

interface LoggedEvent {
  event: OutboxEvent
  orderKey: string
}

/**
 * The outbox in the runtime's LMDB environment (table `outbox`): the event log
 * under `e/<seq>`, each subscription's pending deliveries under
 * `p/<subscription>/<seq>` with a copy of their event (so pruning the log
 * never strands one), and attempts under `a/<subscription>/<time>/<seq>`.
 * Every write is one synced transaction.
 */
export class LmdbOutbox implements Outbox {
  private next: number | undefined

  constructor(private readonly db: () => Database<unknown, string>) {}

  async append(event: NewEvent, subscribers: readonly string[]): Promise<OutboxEvent> {
    const db = this.db()
    const seq = this.nextSeq(db)
    const { orderKey, ...rest } = event
    const logged: OutboxEvent = { ...rest, seq }
    await db.transaction(() => {
      db.putSync(eventKey(seq), { event: logged, orderKey } satisfies LoggedEvent)
      for (const subscription of subscribers) {
        const pending: PendingDelivery = { subscription, seq, orderKey, event: logged, attempts: 0, nextAt: 0, firstAt: null }
        db.putSync(pendingKey(subscription, seq), pending)
      }
    })
    return logged
  }

  eventsAfter(seq: number, limit: number): OutboxEvent[] {
    const out: OutboxEvent[] = []
    for (const { value } of this.db().getRange({ start: eventKey(seq + 1), end: `${EVENTS}~`, limit })) out.push((value as LoggedEvent).event)
    return out
  }

  seqAt(time: number): number {
    for (const { value } of this.db().getRange({ start: EVENTS, end: `${EVENTS}~` })) {
      const { event } = value as LoggedEvent
      if (Date.parse(event.timestamp) >= time) return event.seq
    }
    return this.nextSeq(this.db())
  }

  pending(subscription: string, limit?: number): PendingDelivery[] {
    const prefix = pendingPrefix(subscription)
    return [...this.db().getRange({ start: prefix, end: `${prefix}~`, ...(limit ? { limit } : {}) })].map(({ value }) => value as PendingDelivery)
  }

  pendingCount(subscription: string): number {
    const prefix = pendingPrefix(subscription)
    return this.db().getKeysCount({ start: prefix, end: `${prefix}~` })
  }

  async record(delivery: PendingDelivery, attempt: DeliveryAttempt, nextAt?: number, restart = false): Promise<void> {
    const db = this.db()
    const key = pendingKey(delivery.subscription, delivery.seq)
    await db.transaction(() => {
      db.putSync(`${attemptPrefix(delivery.subscription)}${pad(Date.parse(attempt.at))}/${pad(delivery.seq)}/${attempt.attempt}`, attempt)
      // A replay may have taken the delivery back meanwhile; only the one that was tried is changed.
      if (!db.doesExist(key)) return
      if (nextAt === undefined) db.removeSync(key)
      else db.putSync(key, { ...delivery, attempts: attempt.attempt, nextAt, firstAt: restart ? null : (delivery.firstAt ?? Date.parse(attempt.at)) } satisfies PendingDelivery)
    })
  }

  attempts(subscription: string, limit: number): DeliveryAttempt[] {
    const prefix = attemptPrefix(subscription)
    return [...this.db().getRange({ start: `${prefix}~`, end: prefix, reverse: true, limit })].map(({ value }) => value as DeliveryAttempt)
  }

  async requeue(subscription: string, events: readonly OutboxEvent[]): Promise<number> {
    const db = this.db()
    return db.transaction(() => {
      let added = 0
      for (const event of events) {
        const key = pendingKey(subscription, event.seq)
        const logged = db.get(eventKey(event.seq)) as LoggedEvent | undefined
        if (!logged || db.doesExist(key)) continue
        db.putSync(key, { subscription, seq: event.seq, orderKey: logged.orderKey, event, attempts: 0, nextAt: 0, firstAt: null } satisfies PendingDelivery)
        added++
      }
      return added
    })
  }

  async forget(subscription: string): Promise<void> {
    const db = this.db()
    await db.transaction(() => {
      for (const prefix of [pendingPrefix(subscription), attemptPrefix(subscription)]) {
        for (const key of db.getKeys({ start: prefix, end: `${prefix}~` })) db.removeSync(key)
      }
    })
  }

  async prune(before: number): Promise<void> {
    const db = this.db()
    await db.transaction(() => {
      for (const { key, value } of db.getRange({ start: EVENTS, end: `${EVENTS}~` })) {
        if (Date.parse((value as LoggedEvent).event.timestamp) >= before) break
        db.removeSync(key)
      }
      for (const { key, value } of db.getRange({ start: 'a/', end: 'a/~' })) {
        if (Date.parse((value as DeliveryAttempt).at) < before) db.removeSync(key)
      }
    })
  }

  private nextSeq(db: Database<unknown, string>): number {
    if (this.next === undefined) {
      const [last] = [...db.getKeys({ start: `${EVENTS}~`, end: EVENTS, reverse: true, limit: 1 })]
      this.next = last === undefined ? 1 : Number(last.slice(EVENTS.length)) + 1
    }
    return this.next++
  }
}
