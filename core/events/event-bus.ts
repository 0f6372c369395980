import 'reflect-metadata'
import { inject, injectable } from 'tsyringe'
import type { Logger } from '../logger.js'
import type { SessionManager } from '../sessions/manager.js'
import type { Session } from '../sessions/session.js'
import type { WhatsAppClient } from '../sessions/whatsapp-client.js'
import { Tokens } from '../tokens.js'
import type { ConnectionState, GroupEvent, IncomingMessage } from '../whatsapp/types.js'

/** What plugins may subscribe to, and what each handler receives. */
export interface PluginEvents {
  /** A message that did not run a command (see the chat router for what counts as one). */
  message: IncomingMessage
  /** Someone joined, left, was promoted or demoted, or a group's subject, description or settings changed. */
  group: GroupEvent
  /** A session's WhatsApp connection changed state. */
  connection: ConnectionState
}

/** Where an event came from: the session, and its connection to act through (grammY's `ctx.api`). */
export interface EventContext {
  session: string
  whatsapp: WhatsAppClient
}

export type PluginEventName = keyof PluginEvents
export type PluginEventHandler<E extends PluginEventName> = (payload: PluginEvents[E], context: EventContext) => void | Promise<void>

interface Subscription {
  plugin: string
  logger: Logger
  handler: (payload: never, context: EventContext) => void | Promise<void>
}

/**
 * Delivers every session's WhatsApp events to plugins, each with the session
 * it came from. Every handler runs in its own error boundary: a throw or a
 * rejection is logged with the plugin's name and never reaches another
 * handler, the chat router or the process.
 */
@injectable()
export class EventBus {
  private readonly subscriptions = new Map<PluginEventName, Set<Subscription>>()
  private readonly inFlight = new Set<Promise<void>>()
  private readonly relays = new Map<string, () => void>()
  private unsubscribeSessions: (() => void)[] = []

  constructor(
    @inject(Tokens.Logger) private readonly logger: Logger,
    @inject(Tokens.Sessions) private readonly sessions: SessionManager,
  ) {}

  /** Starts relaying every session's group events and connection changes; messages come from the chat router, which knows what a command is. */
  start(): void {
    if (this.unsubscribeSessions.length) return
    for (const session of this.sessions.list()) this.relay(session)
    this.unsubscribeSessions = [
      this.sessions.onAdded((session) => this.relay(session)),
      this.sessions.onRemoved((session) => {
        this.relays.get(session.id)?.()
        this.relays.delete(session.id)
      }),
    ]
  }

  /** Stops relaying and waits for the handlers already running. */
  async stop(): Promise<void> {
    for (const unsubscribe of [...this.unsubscribeSessions, ...this.relays.values()]) unsubscribe()
    this.unsubscribeSessions = []
    this.relays.clear()
    await this.idle()
  }

  private relay(session: Session): void {
    if (this.relays.has(session.id)) return
    const offGroup = session.whatsapp.onGroupEvent((event) => this.publish('group', event, session))
    const offState = session.whatsapp.onState((state) => this.publish('connection', state, session))
    this.relays.set(session.id, () => {
      offGroup()
      offState()
    })
  }

  subscribe<E extends PluginEventName>(plugin: string, logger: Logger, event: E, handler: PluginEventHandler<E>): () => void {
    if (!['message', 'group', 'connection'].includes(event)) {
      throw new Error(`plugin '${plugin}' subscribed to '${String(event)}', which is not an event; use 'message', 'group' or 'connection'`)
    }
    if (typeof handler !== 'function') throw new Error(`plugin '${plugin}' subscribed to '${event}' without a handler function`)
    const subscription: Subscription = { plugin, logger, handler }
    let set = this.subscriptions.get(event)
    if (!set) this.subscriptions.set(event, (set = new Set()))
    set.add(subscription)
    return () => void set.delete(subscription)
  }

  /** Ends every subscription of a plugin: when it stops, or is disabled. */
  removePlugin(plugin: string): void {
    for (const set of this.subscriptions.values()) {
      for (const subscription of set) if (subscription.plugin === plugin) set.delete(subscription)
    }
  }

  /**
   * Calls every handler of the event, but those of plugins the session leaves
   * out; returns at once, handlers that return promises are tracked by idle().
   */
  publish<E extends PluginEventName>(event: E, payload: PluginEvents[E], session: Session): void {
    const context: EventContext = { session: session.id, whatsapp: session.client }
    // Messages and group events carry their session too, whichever connection made them.
    const stamped: PluginEvents[E] = typeof payload === 'object' ? { ...payload, session: session.id } : payload
    // A copy: a handler that unsubscribes (or subscribes) must not change who hears this event.
    for (const subscription of [...(this.subscriptions.get(event) ?? [])]) {
      if (!session.serves(subscription.plugin)) continue
      let outcome: void | Promise<void>
      try {
        outcome = (subscription.handler as PluginEventHandler<E>)(stamped, context)
      } catch (error) {
        this.report(subscription, event, error)
        continue
      }
      if (outcome && typeof outcome.then === 'function') {
        const running: Promise<void> = Promise.resolve(outcome)
          .catch((error: unknown) => this.report(subscription, event, error))
          .finally(() => this.inFlight.delete(running))
        this.inFlight.add(running)
      }
    }
  }

  /** Resolves when every handler started so far has finished (tests wait on this instead of sleeping). */
  async idle(): Promise<void> {
    while (this.inFlight.size) await Promise.allSettled([...this.inFlight])
  }

  private report(subscription: Subscription, event: PluginEventName, error: unknown): void {
    try {
      subscription.logger.error({ err: error, plugin: subscription.plugin, event }, `plugin '${subscription.plugin}' failed handling a '${event}' event: ${(error as Error)?.message ?? String(error)}`)
    } catch {
      // A logger that throws (a broken custom stream) must not break the boundary.
    }
  }
}
