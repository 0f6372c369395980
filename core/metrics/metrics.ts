import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client'

/** Seconds; HTTP requests and chat commands are mostly fast, group calls and pacing waits slower. */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30]
const WAIT_BUCKETS = [0.1, 0.25, 0.5, 1, 2, 5, 10, 15, 30, 60]

/** Records one pacer's waits: how long a call waited for its slot, or that it was refused. */
export interface PacingRecorder {
  /** A call got its slot after `ms` (0 when it went at once). */
  waited(ms: number): void
  /** A call was refused: it would have waited too long, or calls are paused after a rate limit. */
  refused(): void
}

/**
 * The runtime's Prometheus metrics, in a registry of its own (several runtimes
 * may share a process, as in tests). Core code records through the named
 * metrics below; code that needs another metric asks `counter`, `gauge` or
 * `histogram` for it by name, getting the same one on every call.
 */
export class Metrics {
  readonly registry = new Registry()

  readonly httpRequests = this.counter('waplug_http_requests_total', 'HTTP requests, by route pattern, method and status code', ['method', 'route', 'code'])
  readonly httpDuration = this.histogram('waplug_http_request_duration_seconds', 'HTTP request latency, by route pattern, method and status code', ['method', 'route', 'code'], LATENCY_BUCKETS)
  readonly chatCommands = this.counter('waplug_chat_commands_total', 'Chat commands, by command and outcome (ok, refused, failed, confirm_asked, unknown)', ['command', 'outcome'])
  readonly reconnects = this.counter('waplug_whatsapp_reconnects_total', 'Times a session connected again after its first connection', ['session'])
  readonly messagesIn = this.counter('waplug_messages_received_total', 'Messages received, commands included, by session', ['session'])
  readonly messagesOut = this.counter('waplug_messages_sent_total', "Messages sent that WhatsApp's server took, by session", ['session'])
  readonly webhookDeliveries = this.counter('waplug_webhook_deliveries_total', 'Webhook delivery attempts, by outcome (delivered, retrying, failed, paused)', ['outcome'])
  readonly webhookRetries = this.counter('waplug_webhook_retries_total', 'Webhook delivery attempts after the first for an event', [])
  readonly pacingWaits = this.counter('waplug_pacing_waits_total', 'Calls that went through a pacer, by pacer, session and outcome (immediate, waited, refused)', ['pacer', 'session', 'outcome'])
  readonly pacingWaitSeconds = this.histogram('waplug_pacing_wait_seconds', 'How long paced calls waited for their slot, by pacer', ['pacer'], WAIT_BUCKETS)

  private processMetrics = false

  /** The counter of this name, made on first use; the same labels every time. */
  counter<L extends string>(name: string, help: string, labelNames: readonly L[]): Counter<L> {
    return (this.registry.getSingleMetric(name) as Counter<L> | undefined) ?? new Counter({ name, help, labelNames, registers: [this.registry] })
  }

  /** The gauge of this name, made on first use; `collect` runs at each scrape to set it from the current state. */
  gauge<L extends string>(name: string, help: string, labelNames: readonly L[], collect?: (gauge: Gauge<L>) => void): Gauge<L> {
    const existing = this.registry.getSingleMetric(name) as Gauge<L> | undefined
    if (existing) return existing
    return new Gauge({
      name,
      help,
      labelNames,
      registers: [this.registry],
      ...(collect ? { collect: function (this: Gauge<L>) { collect(this) } } : {}),
    })
  }

  /** The histogram of this name, made on first use, with these buckets (seconds, for durations). */
  histogram<L extends string>(name: string, help: string, labelNames: readonly L[], buckets = LATENCY_BUCKETS): Histogram<L> {
    return (this.registry.getSingleMetric(name) as Histogram<L> | undefined) ?? new Histogram({ name, help, labelNames, buckets, registers: [this.registry] })
  }

  /** A pacer's recorder: `groups` for group calls, `send` for messages. */
  pacing(pacer: string, session: string): PacingRecorder {
    return {
      waited: (ms) => {
        this.pacingWaits.inc({ pacer, session, outcome: ms > 0 ? 'waited' : 'immediate' })
        this.pacingWaitSeconds.observe({ pacer }, ms / 1000)
      },
      refused: () => this.pacingWaits.inc({ pacer, session, outcome: 'refused' }),
    }
  }

  /** The text exposition a Prometheus scrape reads. */
  async exposition(): Promise<{ contentType: string; body: string }> {
    // Node's process metrics start with the first scrape: their event-loop monitor and GC observer
    // cannot be stopped, and a runtime nobody scrapes (most tests run many) need not pay for them.
    if (!this.processMetrics) {
      this.processMetrics = true
      collectDefaultMetrics({ register: this.registry })
    }
    return { contentType: this.registry.contentType, body: await this.registry.metrics() }
  }
}
