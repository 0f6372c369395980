import 'reflect-metadata'
import { inject, injectable } from 'tsyringe'
import type { Invoker } from '../actions/invoke.js'
import type { Config } from '../config.js'
import { StartupError, badRequest } from '../errors.js'
import { EventFeed } from '../events/event-feed.js'
import type { Metrics } from '../metrics/metrics.js'
import type { Logger } from '../logger.js'
import type { SessionManager } from '../sessions/manager.js'
import type { Outbox, OutboxEvent } from '../storage/outbox.js'
import type { Storage } from '../storage/storage.js'
import { Tokens } from '../tokens.js'
import { WebhookDispatcher } from './dispatcher.js'
import { filterProblem, wants } from './event-filter.js'
import { Subscriptions, type Subscription } from './subscriptions.js'
import { urlProblem } from './url-guard.js'

const HOUR = 3_600_000
/** How many logged events one replay takes at most. */
const REPLAY_LIMIT = 10_000

/**
 * Events out: the feed that commits every event to the outbox, the
 * subscriptions, and the dispatcher that delivers them.
 */
@injectable()
export class Webhooks {
  readonly subscriptions: Subscriptions
  readonly feed: EventFeed
  readonly outbox: Outbox
  private readonly dispatcher: WebhookDispatcher
  private pruneTimer: NodeJS.Timeout | undefined
  private offKick: (() => void) | undefined
  private offRemoved: (() => void) | undefined

  constructor(
    @inject(Tokens.Config) private readonly config: Config,
    @inject(Tokens.Logger) private readonly logger: Logger,
    @inject(Tokens.Sessions) private readonly sessions: SessionManager,
    @inject(Tokens.Invoker) invoker: Invoker,
    @inject(Tokens.Storage) storage: Storage,
    @inject(Tokens.Metrics) metrics: Metrics,
  ) {
    const { webhooks } = config
    this.outbox = storage.outbox()
    this.subscriptions = new Subscriptions(() => storage.forRuntime('webhooks'))
    this.feed = new EventFeed({ config, logger, sessions, invoker, outbox: this.outbox, subscriptions: this.subscriptions })
    this.dispatcher = new WebhookDispatcher({
      outbox: this.outbox,
      subscriptions: this.subscriptions,
      logger,
      timeoutMs: webhooks.timeoutMs,
      maxResponseBytes: webhooks.maxResponseBytes,
      allow: webhooks.allow,
      concurrency: webhooks.concurrency,
      retry: { firstDelayMs: webhooks.retry.firstDelayMs, maxDelayMs: webhooks.retry.maxDelayMs, periodMs: webhooks.retry.periodHours * HOUR },
      onAttempt: (outcome, attempt) => {
        metrics.webhookDeliveries.inc({ outcome })
        if (attempt > 1) metrics.webhookRetries.inc()
      },
    })
    metrics.gauge('waplug_webhook_queue_depth', 'Events waiting in the outbox for delivery, by webhook subscription', ['webhook'], (gauge) => {
      gauge.reset()
      for (const subscription of this.subscriptions.list()) gauge.set({ webhook: subscription.id }, this.outbox.pendingCount(subscription.id))
    })
  }

  /** Before the sessions connect, so their first states are events too. */
  async start(): Promise<void> {
    for (const entry of this.config.webhooks.subscriptions) {
      const problem = (await urlProblem(entry.url, this.config.webhooks.allow)) ?? entry.events.map(filterProblem).find(Boolean)
      if (problem) throw new StartupError(`Invalid configuration: webhooks.subscriptions has ${entry.url}: ${problem}`)
    }
    await this.subscriptions.configure(this.config.webhooks.subscriptions)
    this.feed.start()
    this.offKick = this.feed.onEvent(() => this.dispatcher.kick())
    // A deleted session's own webhooks go with it.
    this.offRemoved = this.sessions.onRemoved(async (session) => {
      for (const subscription of this.subscriptions.list()) {
        if (subscription.session === session.id && subscription.source === 'api') await this.remove(subscription.id)
      }
    })
    this.dispatcher.start()
    const prune = () =>
      this.outbox.prune(Date.now() - this.config.webhooks.retentionHours * HOUR).catch((error: unknown) => this.logger.warn({ err: error }, 'could not prune old events'))
    void prune()
    this.pruneTimer = setInterval(() => void prune(), HOUR)
    this.pruneTimer.unref()
  }

  async stop(): Promise<void> {
    clearInterval(this.pruneTimer)
    this.offKick?.()
    this.offRemoved?.()
    await this.feed.stop()
    await this.dispatcher.stop()
  }

  /** Resolves when every event so far is committed and no delivery is in flight. */
  async idle(): Promise<void> {
    await this.feed.idle()
    await this.dispatcher.idle()
  }

  /** Checks what a caller asks for, then stores the subscription. */
  async create(spec: { url: string; events: string[]; session: string | null; secret?: string }): Promise<Subscription> {
    const problem = (await urlProblem(spec.url, this.config.webhooks.allow)) ?? spec.events.map(filterProblem).find(Boolean)
    if (problem) throw badRequest(problem)
    if (spec.session !== null) this.sessions.require(spec.session)
    return this.subscriptions.create(spec)
  }

  async remove(id: string): Promise<void> {
    await this.subscriptions.remove(id)
    await this.outbox.forget(id)
  }

  async resume(id: string): Promise<Subscription> {
    const subscription = await this.subscriptions.setState(id, 'active', null)
    this.dispatcher.kick()
    return subscription
  }

  /** Owes the subscription again every logged event it wants from an event on, or from a time on; returns how many. */
  async replay(subscription: Subscription, from: { eventId?: string; since?: number }): Promise<number> {
    let after: number
    if (from.eventId !== undefined) {
      const found = this.findEvent(from.eventId)
      if (!found) throw badRequest(`No event '${from.eventId}' is kept any more (events are kept ${this.config.webhooks.retentionHours} h); replay from a time with "since"`)
      after = found.seq - 1
    } else {
      after = this.outbox.seqAt(from.since ?? 0) - 1
    }
    const events = this.outbox
      .eventsAfter(after, REPLAY_LIMIT)
      .filter((event) => (subscription.session === null || event.session === subscription.session) && wants(subscription.events, event.type))
    const added = await this.outbox.requeue(subscription.id, events)
    this.dispatcher.kick()
    return added
  }

  private findEvent(id: string): OutboxEvent | undefined {
    let after = 0
    for (;;) {
      const page = this.outbox.eventsAfter(after, 1000)
      const found = page.find((event) => event.id === id)
      if (found || page.length === 0) return found
      after = page.at(-1)?.seq ?? after
    }
  }
}
