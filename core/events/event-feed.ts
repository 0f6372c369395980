import { createHash, randomUUID } from 'node:crypto'
import type { Invoked, Invoker } from '../actions/invoke.js'
import type { Config } from '../config.js'
import type { Logger } from '../logger.js'
import type { SessionManager } from '../sessions/manager.js'
import type { Session } from '../sessions/session.js'
import type { NewEvent, Outbox, OutboxEvent } from '../storage/outbox.js'
import type { Subscriptions } from '../webhooks/subscriptions.js'
import type { ConnectionState, GroupEvent, IncomingMessage, MessageStatus } from '../whatsapp/types.js'

export interface EventFeedOptions {
  config: Config
  logger: Logger
  sessions: SessionManager
  invoker: Invoker
  outbox: Outbox
  subscriptions: Subscriptions
}

/**
 * Turns what happens on every session into events and commits each one to
 * the outbox, with a pending delivery for every subscription that wants it,
 * before anyone hears of it. Webhooks and the event stream read from there.
 */
export class EventFeed {
  private readonly listeners = new Set<(event: OutboxEvent) => void>()
  private readonly unsubscribe: (() => void)[] = []
  private readonly relays = new Map<string, () => void>()
  /** The last event's commit and notification; listeners hear events in order. */
  private appending: Promise<unknown> = Promise.resolve()
  private readonly log: Logger

  constructor(private readonly options: EventFeedOptions) {
    this.log = options.logger.child({ component: 'events' })
  }

  start(): void {
    const { sessions, invoker, config } = this.options
    for (const session of sessions.list()) this.relay(session)
    this.unsubscribe.push(
      sessions.onAdded((session) => this.relay(session)),
      sessions.onRemoved((session) => {
        this.relays.get(session.id)?.()
        this.relays.delete(session.id)
      }),
    )
    if (config.webhooks.commandEvents) this.unsubscribe.push(invoker.onInvoked((invoked) => this.commandHandled(invoked)))
  }

  async stop(): Promise<void> {
    for (const off of [...this.unsubscribe, ...this.relays.values()]) off()
    this.unsubscribe.length = 0
    this.relays.clear()
    await this.appending
  }

  /** Hears every event once it is committed; returns an unsubscribe. */
  onEvent(listener: (event: OutboxEvent) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** Resolves when every event so far is committed. */
  async idle(): Promise<void> {
    let seen: Promise<unknown> | undefined
    while (seen !== this.appending) {
      seen = this.appending
      await seen
    }
  }

  private relay(session: Session): void {
    if (this.relays.has(session.id)) return
    const { whatsapp } = session
    const offs = [
      whatsapp.onMessage((message) => this.message(session.id, message)),
      whatsapp.onGroupEvent((event) => this.group(session.id, event)),
      whatsapp.onState((state) => this.state(session, state)),
      whatsapp.onMessageStatus((status) => this.status(session.id, status)),
    ]
    this.relays.set(session.id, () => offs.forEach((off) => off()))
  }

  /** Resolves once the event is committed: WhatsApp hears the message arrived only then. */
  private message(session: string, message: IncomingMessage): Promise<unknown> | undefined {
    // The bot's own messages are not "received"; their fate comes as message.status.
    if (message.fromMe) return undefined
    const { raw: _raw, session: _session, fromMe, isGroup, pushName, ...rest } = message
    return this.append(
      'message.received',
      session,
      `${session}/${message.chat}`,
      {
        ...rest,
        from_me: fromMe,
        is_group: isGroup,
        ...(pushName ? { push_name: pushName } : {}),
      },
      `${message.chat}\n${message.id}`,
    )
  }

  private status(session: string, status: MessageStatus): void {
    void this.append('message.status', session, `${session}/${status.chat}`, status, `${status.chat}\n${status.id}\n${status.recipient ?? ''}\n${status.status}`)
  }

  private group(session: string, event: GroupEvent): void {
    const { type, session: _session, ...data } = event
    void this.append(type === 'participants' ? 'group.participants' : 'group.updated', session, `${session}/${event.group}`, data)
  }

  private state(session: Session, state: ConnectionState): void {
    const info = session.info()
    void this.append(state === 'logged-out' ? 'session.logged_out' : 'session.state', session.id, `${session.id}/session`, {
      state,
      jid: info.jid,
      ...(state === 'pairing' ? { qr: info.qr, pairing_code: info.pairing_code } : {}),
    })
  }

  private commandHandled({ action, caller, code, ms }: Invoked): void {
    void this.append('command.handled', caller.session, `${caller.session}/${caller.chat ?? 'http'}`, {
      action,
      transport: caller.transport,
      request_id: caller.requestId,
      ...(caller.jid ? { by: caller.jid } : {}),
      ...(caller.chat ? { chat: caller.chat } : {}),
      code,
      ms,
    })
  }

  /**
   * `once`: what makes the event the same one when WhatsApp tells it again (a
   * message delivered again because our receipt never reached it, after a lost
   * connection or a crash): its id is then the same, so the receiver, which
   * drops what it already took by webhook-id, takes it once.
   */
  /** Resolves once the event is committed (or could not be). */
  private append(type: string, session: string, orderKey: string, data: unknown, once?: string): Promise<unknown> {
    const id = once === undefined ? randomUUID().replace(/-/g, '') : createHash('sha256').update(`${type}\n${session}\n${once}`).digest('hex').slice(0, 32)
    const event: NewEvent = { id: `evt_${id}`, type, session, timestamp: new Date().toISOString(), orderKey, data }
    const subscribers = this.options.subscriptions.matching(type, session).map((subscription) => subscription.id)
    // Appended at once, so events arriving together share one disk sync; heard in the order they happened.
    const committed = this.options.outbox.append(event, subscribers)
    committed.catch(() => undefined) // reported below, in order
    this.appending = this.appending.then(() => committed).then(
      (logged) => {
        for (const listener of this.listeners) {
          try {
            listener(logged)
          } catch (error) {
            this.log.error({ err: error }, 'an event listener failed')
          }
        }
      },
      (error: unknown) => this.log.error({ err: error, event: type }, 'could not store an event; it is lost for webhooks and the event stream'),
    )
    return committed.catch(() => undefined)
  }
}
