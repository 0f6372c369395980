import type { Config, SessionSettings } from '../config.js'
import { WaplugError, badRequest, conflict, notFound } from '../errors.js'
import type { Logger } from '../logger.js'
import type { AuthStore } from '../storage/auth-store.js'
import type { PluginStore } from '../storage/plugin-store.js'
import type { ConnectionState, WhatsApp } from '../whatsapp/types.js'
import { eachWithLimit } from './limit.js'
import { Session } from './session.js'
import { DEFAULT_SESSION, SESSION_ID, SESSION_ID_RULE } from './session-id.js'

/** What is stored for a session created over HTTP, so it comes back after a restart. */
export interface SessionRecord {
  id: string
  created_at: string
  pairing_phone: string | null
  settings: SessionSettings
}

/** How a session's connection is made: Baileys, or a test double. */
export type ConnectSession = (spec: { id: string; pairingPhone: string | null; logger: Logger }) => WhatsApp

export interface SessionManagerOptions {
  config: Config
  logger: Logger
  auth: AuthStore
  /** The runtime's own namespace for session records. */
  records: () => PluginStore
  connect: ConnectSession
}

export interface NewSession {
  id: string
  pairingPhone?: string | null
  settings?: SessionSettings
}

type Listener = (session: Session) => void | Promise<void>

/** States a connection settles in after it began: logged in, waiting for a scan, or given up. */
const SETTLED: ConnectionState[] = ['open', 'pairing', 'closed', 'logged-out']

/**
 * The set of sessions: `default` always, plus every session created over
 * HTTP (stored, so that after a restart each logs in again without a QR).
 * Start-up connects them a few at a time (`sessions.startConcurrency`).
 */
export class SessionManager {
  private readonly sessions = new Map<string, Session>()
  private readonly added = new Set<Listener>()
  private readonly removed = new Set<Listener>()
  private readonly log: Logger
  private started = false

  private starting: Promise<void> = Promise.resolve()

  constructor(private readonly options: SessionManagerOptions) {
    this.log = options.logger.child({ component: 'sessions' })
    this.add({ id: DEFAULT_SESSION, created_at: '', pairing_phone: options.config.whatsapp.pairingPhone, settings: {} })
  }

  /** Adds the stored sessions; none connects yet. */
  async load(): Promise<void> {
    const store = this.options.records()
    const stored = new Set(await this.options.auth.sessions())
    for (const id of store.keys()) {
      const record = store.get<SessionRecord>(id)
      if (record && !this.sessions.has(id)) this.add(record)
      stored.delete(id)
    }
    // State without a record: a session whose record was lost still logs in rather than being orphaned.
    for (const id of stored) if (SESSION_ID.test(id) && !this.sessions.has(id)) this.add({ id, created_at: '', pairing_phone: null, settings: {} })
  }

  get(id: string): Session | undefined {
    return this.sessions.get(id)
  }

  /** The session, or a 404 that says how to find the right id. */
  require(id: string): Session {
    const session = this.sessions.get(id)
    if (!session) throw notFound(`There is no session '${id}'; GET /sessions lists them, POST /sessions creates one`)
    return session
  }

  get default(): Session {
    return this.require(DEFAULT_SESSION)
  }

  list(): Session[] {
    return [...this.sessions.values()]
  }

  /** Runs for every session there is and every one added later; returns an unsubscribe. */
  onAdded(listener: Listener): () => void {
    this.added.add(listener)
    return () => this.added.delete(listener)
  }

  /** Runs when a session is deleted, after its connection stopped, before its state is cleared. */
  onRemoved(listener: Listener): () => void {
    this.removed.add(listener)
    return () => this.removed.delete(listener)
  }

  /**
   * Connects every session, `sessions.startConcurrency` at a time, each until
   * it is open, pairing or given up. Resolves once the default session's
   * connection has begun; the rest follow in the background (`allStarted()`).
   */
  async startAll(): Promise<void> {
    this.started = true
    const { config } = this.options
    let defaultBegun!: () => void
    const begun = new Promise<void>((resolve) => (defaultBegun = resolve))
    this.starting = eachWithLimit(this.list(), config.sessions.startConcurrency, async (session) => {
      if (!this.started) return
      await this.connect(session, session.id === DEFAULT_SESSION ? defaultBegun : undefined).catch((error: unknown) =>
        this.log.error({ err: error, session: session.id }, `session '${session.id}' could not start`),
      )
    }).finally(() => defaultBegun())
    await begun
  }

  /** Resolves when every session has opened, shown a way to pair, or given up. */
  allStarted(): Promise<void> {
    return this.starting
  }

  async stopAll(): Promise<void> {
    this.started = false
    await Promise.all(this.list().map((session) => session.whatsapp.stop()))
    await this.starting
  }

  /** Stores the session, then connects it (pairing starts: a QR, or a code with `pairingPhone`). */
  async create(spec: NewSession): Promise<Session> {
    if (!SESSION_ID.test(spec.id)) throw badRequest(`Session id '${spec.id}' is not valid: use ${SESSION_ID_RULE}`)
    if (this.sessions.has(spec.id)) throw conflict(`Session '${spec.id}' already exists; GET /sessions/${spec.id} shows it`)
    const record: SessionRecord = { id: spec.id, created_at: new Date().toISOString(), pairing_phone: spec.pairingPhone ?? null, settings: spec.settings ?? {} }
    await this.options.records().set(spec.id, record)
    const session = this.add(record)
    this.log.info({ session: spec.id }, `session '${spec.id}' created`)
    if (this.started) void this.connect(session).catch((error: unknown) => this.log.error({ err: error, session: spec.id }, `session '${spec.id}' could not start`))
    return session
  }

  /**
   * Unlinks the number; the session goes back to pairing. Resolves once the
   * connection has left `open` (WhatsApp closes it after answering the
   * logout), so the caller sees the state after, within a bound.
   */
  async logout(id: string): Promise<Session> {
    const session = this.require(id)
    const { whatsapp } = session
    let stop = (): void => {}
    const left = new Promise<void>((resolve) => {
      const timer = setTimeout(() => stop(), this.options.config.whatsapp.queryTimeoutMs)
      const unsubscribe = whatsapp.onState((state) => state !== 'open' && stop())
      stop = () => {
        clearTimeout(timer)
        unsubscribe()
        resolve()
      }
    })
    try {
      await whatsapp.logout()
      if (whatsapp.state !== 'open') stop()
      await left
    } finally {
      stop()
    }
    return session
  }

  /** Logs the number out, stops it, and removes it and everything stored for it. */
  async remove(id: string): Promise<void> {
    if (id === DEFAULT_SESSION) {
      throw new WaplugError(409, `The default session cannot be deleted: the unprefixed routes act on it. Unlink its number with POST /sessions/${DEFAULT_SESSION}/logout`)
    }
    const session = this.require(id)
    this.sessions.delete(id)
    if (session.state === 'open') await session.whatsapp.logout().catch((error: unknown) => this.log.warn({ err: error, session: id }, 'could not log out before deleting; the phone may still list the device'))
    await session.whatsapp.stop()
    for (const listener of this.removed) await listener(session)
    await this.options.auth.clear(id)
    await this.options.records().delete(id)
    this.log.info({ session: id }, `session '${id}' deleted`)
  }

  private add(record: SessionRecord): Session {
    const { config } = this.options
    const whatsapp = this.options.connect({ id: record.id, pairingPhone: record.pairing_phone, logger: this.options.logger.child({ session: record.id }) })
    const settings = { ...config.sessions.settings[record.id], ...record.settings }
    const session = new Session(record.id, whatsapp, config, settings)
    this.sessions.set(record.id, session)
    for (const listener of this.added) void Promise.resolve(listener(session)).catch((error: unknown) => this.log.error({ err: error, session: record.id }, 'a session listener failed'))
    return session
  }

  private async connect(session: Session, begun?: () => void): Promise<void> {
    const { whatsapp } = session
    let done = (): void => {}
    const settled = new Promise<void>((resolve) => {
      const timer = setTimeout(() => done(), this.options.config.whatsapp.connectTimeoutMs)
      const unsubscribe = whatsapp.onState((state) => SETTLED.includes(state) && done())
      done = () => {
        clearTimeout(timer)
        unsubscribe()
        resolve()
      }
    })
    try {
      await whatsapp.start()
    } finally {
      begun?.()
      if (SETTLED.includes(whatsapp.state) || !this.started) done()
    }
    await settled
  }
}
