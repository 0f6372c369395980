import type { Logger } from '../logger.js'
import type { DeliveryAttempt, Outbox, PendingDelivery } from '../storage/outbox.js'
import { send, type SendOptions } from './send.js'
import type { Subscription, Subscriptions } from './subscriptions.js'

/** How many of a subscription's oldest pending deliveries each look considers. */
const SCAN_LIMIT = 1000

export interface RetryPolicy {
  /** The wait after a first failure; it doubles with each one after. */
  firstDelayMs: number
  maxDelayMs: number
  /** How long an event is retried before it is given up and its subscription paused. */
  periodMs: number
}

export interface DispatcherOptions extends SendOptions {
  outbox: Outbox
  subscriptions: Subscriptions
  logger: Logger
  retry: RetryPolicy
  /** Deliveries in flight per subscription, each for another chat. */
  concurrency: number
  /** Told each attempt's outcome, and which attempt it was (1 for the first), for metrics. */
  onAttempt?: (outcome: DeliveryAttempt['outcome'], attempt: number) => void
}

/**
 * Delivers the outbox's pending events to their subscriptions. A chat's
 * events reach a subscription in order (the next waits while one is in
 * flight or retrying); different chats and different subscriptions go side by
 * side, so one slow receiver holds up no other. What is pending survives any
 * stop: the next start picks it up.
 */
export class WebhookDispatcher {
  private readonly inFlight = new Map<string, Set<string>>()
  private readonly running = new Set<Promise<void>>()
  private timer: NodeJS.Timeout | undefined
  private wakeAt = Infinity
  private stopped = true
  private readonly log: Logger

  constructor(private readonly options: DispatcherOptions) {
    this.log = options.logger.child({ component: 'webhooks' })
  }

  start(): void {
    this.stopped = false
    this.pump()
  }

  /** New events, a resumed subscription: look again now. */
  kick(): void {
    if (!this.stopped) queueMicrotask(() => this.pump())
  }

  /** Stops starting deliveries and waits for those in flight; what is pending stays for the next start. */
  async stop(): Promise<void> {
    this.stopped = true
    clearTimeout(this.timer)
    while (this.running.size) await Promise.allSettled([...this.running])
  }

  /** Resolves when nothing is in flight (tests wait on this). */
  async idle(): Promise<void> {
    while (this.running.size) await Promise.allSettled([...this.running])
  }

  private pump(): void {
    if (this.stopped) return
    const now = Date.now()
    let next = Infinity
    for (const subscription of this.options.subscriptions.list()) {
      if (subscription.state !== 'active') continue
      next = Math.min(next, this.launchDue(subscription, now))
    }
    this.wakeAt = Infinity
    clearTimeout(this.timer)
    if (next !== Infinity) this.wake(next)
  }

  /** Starts what is due for one subscription; returns when the next one will be. */
  private launchDue(subscription: Subscription, now: number): number {
    const busy = this.inFlight.get(subscription.id) ?? new Set<string>()
    this.inFlight.set(subscription.id, busy)
    const heads = new Map<string, PendingDelivery>()
    // The oldest ones only: with a long backlog, reading all of it at every step would cost more than sending it.
    for (const delivery of this.options.outbox.pending(subscription.id, SCAN_LIMIT)) if (!heads.has(delivery.orderKey)) heads.set(delivery.orderKey, delivery)
    let next = Infinity
    for (const delivery of heads.values()) {
      if (busy.has(delivery.orderKey)) continue
      if (delivery.nextAt > now) {
        next = Math.min(next, delivery.nextAt)
        continue
      }
      if (busy.size >= this.options.concurrency) break
      busy.add(delivery.orderKey)
      const running: Promise<void> = this.deliver(subscription, delivery)
        .catch((error: unknown) => this.log.error({ err: error, webhook: subscription.id }, 'a webhook delivery failed unexpectedly'))
        .finally(() => {
          busy.delete(delivery.orderKey)
          this.running.delete(running)
          this.kick()
        })
      this.running.add(running)
    }
    return next
  }

  private async deliver(subscription: Subscription, delivery: PendingDelivery): Promise<void> {
    const started = Date.now()
    const outcome = await send(subscription.url, subscription.secret, delivery.event, this.options)
    const attempt = delivery.attempts + 1
    const firstAt = delivery.firstAt ?? started
    const { retry } = this.options
    let nextAt: number | undefined
    let result: DeliveryAttempt['outcome'] = 'delivered'
    let exhausted = false
    if (outcome.error !== null) {
      const backoff = Math.min(retry.firstDelayMs * 2 ** (attempt - 1), retry.maxDelayMs)
      // Jitter, so receivers coming back are not hit by every sender at once; a Retry-After is honoured as asked.
      const wait = outcome.retryAfterMs ?? backoff * (0.5 + Math.random() / 2)
      exhausted = outcome.final !== true && started + wait - firstAt > retry.periodMs
      result = outcome.final === true ? 'failed' : exhausted ? 'paused' : 'retrying'
      nextAt = outcome.final === true ? undefined : started + wait
    }
    await this.options.outbox.record(
      delivery,
      {
        event_id: delivery.event.id,
        event_type: delivery.event.type,
        seq: delivery.seq,
        attempt,
        at: new Date(started).toISOString(),
        status: outcome.status,
        error: outcome.error,
        outcome: result,
        duration_ms: Date.now() - started,
      },
      nextAt,
      // Once paused, the event keeps waiting, with a whole retry period again after a resume.
      exhausted,
    )
    this.options.onAttempt?.(result, attempt)
    if (exhausted) {
      const reason = `event ${delivery.event.id} could not be delivered for ${Math.round(retry.periodMs / 60_000)} min (last: ${outcome.error}); its events wait. Fix the receiver, then POST /webhooks/${subscription.id}/resume`
      this.log.warn({ webhook: subscription.id, url: subscription.url }, `webhook paused: ${reason}`)
      await this.options.subscriptions.setState(subscription.id, 'paused', reason)
    } else if (result === 'failed') {
      this.log.warn({ webhook: subscription.id, event: delivery.event.id, status: outcome.status }, `webhook receiver refused an event: ${outcome.error}`)
    } else if (result === 'retrying') {
      this.log.info({ webhook: subscription.id, event: delivery.event.id, attempt, error: outcome.error }, 'webhook delivery failed; it will be retried')
    }
  }

  private wake(at: number): void {
    if (at >= this.wakeAt) return
    this.wakeAt = at
    clearTimeout(this.timer)
    this.timer = setTimeout(() => this.pump(), Math.max(0, at - Date.now()))
    this.timer.unref()
  }
}
