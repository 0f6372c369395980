import 'reflect-metadata'
import { inject, injectable } from 'tsyringe'
import type { Invoker } from '../actions/invoke.js'
import type { ActionRegistry } from '../actions/registry.js'
import type { Config } from '../config.js'
import type { EventBus } from '../events/event-bus.js'
import type { Metrics } from '../metrics/metrics.js'
import type { Logger } from '../logger.js'
import type { SessionManager } from '../sessions/manager.js'
import { DEFAULT_SESSION } from '../sessions/session-id.js'
import type { Session } from '../sessions/session.js'
import type { PluginStore } from '../storage/plugin-store.js'
import type { Storage } from '../storage/storage.js'
import { Tokens } from '../tokens.js'
import { ChatRouter } from './router.js'


/**
 * Chat over every session: each session has its own router, with its own
 * prefixes, owners, pending confirmations, backlog and reply outbox, so a
 * command is handled by the number that received it and answered from it.
 */
@injectable()
export class ChatTransport {
  private readonly routers = new Map<string, ChatRouter>()
  private unsubscribe: (() => void)[] = []
  private running = false

  constructor(
    @inject(Tokens.Config) private readonly config: Config,
    @inject(Tokens.Logger) private readonly logger: Logger,
    @inject(Tokens.Sessions) private readonly sessions: SessionManager,
    @inject(Tokens.Actions) private readonly registry: ActionRegistry,
    @inject(Tokens.Invoker) private readonly invoker: Invoker,
    @inject(Tokens.Events) private readonly events: EventBus,
    @inject(Tokens.Storage) private readonly storage: Storage,
    @inject(Tokens.Metrics) private readonly metrics: Metrics,
  ) {}

  start(): void {
    if (this.running) return
    this.running = true
    for (const session of this.sessions.list()) this.open(session)
    this.unsubscribe = [
      this.sessions.onAdded((session) => this.open(session)),
      this.sessions.onRemoved((session) => this.close(session.id, true)),
    ]
  }

  async stop(): Promise<void> {
    this.running = false
    for (const unsubscribe of this.unsubscribe) unsubscribe()
    this.unsubscribe = []
    await Promise.all([...this.routers.keys()].map((id) => this.close(id, false)))
  }

  /** Resolves when every command received so far, on every session, has been answered or waits for its connection. */
  async idle(): Promise<void> {
    await Promise.all([...this.routers.values()].map((router) => router.idle()))
  }

  /** A session's router (tests drive one directly). */
  router(session: string = DEFAULT_SESSION): ChatRouter | undefined {
    return this.routers.get(session)
  }

  private open(session: Session): void {
    if (!this.running || this.routers.has(session.id)) return
    const router = new ChatRouter({
      config: this.config,
      logger: this.logger.child({ session: session.id }),
      session,
      registry: this.registry,
      invoker: this.invoker,
      events: this.events,
      records: this.records(session.id),
      onCommand: (command, outcome) => this.metrics.chatCommands.inc({ command, outcome }),
    })
    this.routers.set(session.id, router)
    router.start()
  }

  /** Stops a session's router; a deleted session's records go with it. */
  private async close(id: string, forget: boolean): Promise<void> {
    const router = this.routers.get(id)
    if (!router) return
    this.routers.delete(id)
    await router.stop()
    if (!forget) return
    const records = this.records(id)
    for (const key of records.keys()) await records.delete(key)
  }

  /** The default session keeps the records it had before there were sessions, so an upgrade loses no pending answer. */
  private records(session: string): PluginStore {
    const chat = this.storage.forRuntime('chat')
    return session === DEFAULT_SESSION ? chat : chat.forSession(session)
  }
}
