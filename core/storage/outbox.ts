/**
 * An event as it leaves the runtime: the same shape in webhooks, the event
 * stream and replays. `id` is the webhook-id a receiver drops duplicates by;
 * `seq` its place in the log (the stream's event id, for resuming).
 */
export interface OutboxEvent {
  id: string
  seq: number
  type: string
  session: string
  /** ISO time it happened. */
  timestamp: string
  data: unknown
}

/** What was appended, before the log gave it a place. */
export type NewEvent = Omit<OutboxEvent, 'seq'> & {
  /** Deliveries of one subscription keep this order: a chat's events, or a session's. */
  orderKey: string
}

/** One event waiting to reach one subscription. */
export interface PendingDelivery {
  subscription: string
  seq: number
  orderKey: string
  event: OutboxEvent
  attempts: number
  /** ms since the epoch: not tried again before. */
  nextAt: number
  /** When its first attempt was made, ms; retries stop a retry period after it. */
  firstAt: number | null
}

/** One attempt, as `GET /webhooks/:id/deliveries` shows it. */
export interface DeliveryAttempt {
  event_id: string
  event_type: string
  seq: number
  attempt: number
  at: string
  /** The receiver's status code, when it answered. */
  status: number | null
  /** Why it failed, when it did, in words. */
  error: string | null
  /** `paused`: its retries ran out, so the subscription was paused; the event waits for a resume. */
  outcome: 'delivered' | 'retrying' | 'failed' | 'paused'
  duration_ms: number
}

/**
 * The durable queue of events going out. An event and the deliveries it owes
 * its subscribers are committed together before anyone is told of it; a
 * delivery stays pending, across restarts and SIGKILLs, until its receiver
 * took it or its retries ran out. Kept behind this interface so that a
 * shared queue (for many nodes) can take LMDB's place.
 */
export interface Outbox {
  /** Appends the event with a pending delivery for each subscriber, in one durable transaction. */
  append(event: NewEvent, subscribers: readonly string[]): Promise<OutboxEvent>
  /** Logged events after `seq`, oldest first. */
  eventsAfter(seq: number, limit: number): OutboxEvent[]
  /** The seq of the first event at or after this time. */
  seqAt(time: number): number
  /** The deliveries a subscription still owes, oldest first (at most `limit`). */
  pending(subscription: string, limit?: number): PendingDelivery[]
  /** How many deliveries a subscription still owes. */
  pendingCount(subscription: string): number
  /**
   * Records an attempt; a delivered or failed delivery stops being pending, a
   * retried one waits until `nextAt`; `restart` forgets when its first attempt
   * was, so a resumed subscription retries it for a whole period again.
   */
  record(delivery: PendingDelivery, attempt: DeliveryAttempt, nextAt?: number, restart?: boolean): Promise<void>
  /** The newest attempts first. */
  attempts(subscription: string, limit: number): DeliveryAttempt[]
  /** Owes these logged events to the subscription again (a replay); events it still owes are left as they are. */
  requeue(subscription: string, events: readonly OutboxEvent[]): Promise<number>
  /** Forgets a deleted subscription's deliveries and attempts. */
  forget(subscription: string): Promise<void>
  /** Drops logged events and attempts older than this (ms since the epoch); pending deliveries keep their own copy. */
  prune(before: number): Promise<void>
}
