import { Buffer } from 'node:buffer'
import type { Database } from 'lmdb'

/**
 * A plugin's own key-value store: string keys, JSON values. Reads are
 * synchronous (the store is memory-mapped, so a read costs no I/O); a write's
 * promise resolves once the write is on disk, so a crash after it returned
 * cannot lose it.
 */
export interface PluginStore {
  /** The value, or undefined when the key is not set. */
  get<T = unknown>(key: string): T | undefined
  has(key: string): boolean
  /**
   * Keys in sorted order, optionally only those starting with `prefix`; with
   * `after` and `limit`, a page of them: at most `limit` keys that sort after
   * `after` (pass the last key of one page to get the next).
   */
  keys(options?: KeysOptions): string[]
  /** Stores a JSON value (objects, arrays, strings, numbers, booleans, null); resolves when it is durable. */
  set(key: string, value: unknown): Promise<void>
  /** Whether there was a value to delete; resolves when the deletion is durable. */
  delete(key: string): Promise<boolean>
  /**
   * Reads, changes and writes one value as a single transaction, so two
   * handlers counting at once never lose an increment. Resolves with the new value.
   */
  update<T = unknown>(key: string, change: (current: T | undefined) => T): Promise<T>
  /** The same store, for one session's data: its keys are apart from the plain ones and every other session's. */
  forSession(session: string): PluginStore
}

export interface KeysOptions {
  prefix?: string
  /** Only keys that sort after this one. */
  after?: string
  /** At most this many keys. */
  limit?: number
}

/** Session keys start with a byte no one types, so the plain keys never list or reach them. */
const SESSION_MARK = '\u0001'

/** LMDB keys are at most 1978 bytes; leave room for the encoding. */
const MAX_KEY_BYTES = 1000

export class LmdbPluginStore implements PluginStore {
  constructor(
    /** Who owns it, as error messages name it: "plugin 'x'" or "the runtime's 'y'". */
    private readonly owner: string,
    private readonly db: Database<unknown, string>,
    private readonly isOpen: () => boolean,
  ) {}

  get<T = unknown>(key: string): T | undefined {
    this.check(key)
    return this.db.get(key) as T | undefined
  }

  has(key: string): boolean {
    this.check(key)
    return this.db.doesExist(key)
  }

  keys(options: KeysOptions = {}): string[] {
    this.check()
    const { prefix = '', after, limit = Infinity } = options
    const start = after !== undefined && after > prefix ? after : prefix
    const keys: string[] = []
    for (const key of this.db.getKeys(start ? { start } : {})) {
      if (keys.length >= limit || !key.startsWith(prefix)) break
      if (key === after) continue
      if (!key.startsWith(SESSION_MARK) || prefix.startsWith(SESSION_MARK)) keys.push(key)
    }
    return keys
  }

  forSession(session: string): PluginStore {
    return new SessionView(this, `${SESSION_MARK}${session}/`)
  }

  async set(key: string, value: unknown): Promise<void> {
    this.check(key)
    await this.db.put(key, this.json(key, value))
  }

  async delete(key: string): Promise<boolean> {
    this.check(key)
    // In one transaction, so the answer is about this deletion (lmdb's own remove() resolves true either way).
    return this.db.transaction(() => this.db.doesExist(key) && this.db.removeSync(key))
  }

  async update<T = unknown>(key: string, change: (current: T | undefined) => T): Promise<T> {
    this.check(key)
    return this.db.transaction(() => {
      const next = change(this.db.get(key) as T | undefined)
      this.db.putSync(key, this.json(key, next))
      return next
    })
  }

  /** JSON in, JSON out: what would not survive JSON.stringify is refused now rather than changed silently. */
  private json(key: string, value: unknown): unknown {
    if (value === undefined) throw new TypeError(`${this.owner} stored undefined at '${key}'; use store.delete('${key}') to remove a value`)
    const text = JSON.stringify(value) as string | undefined
    if (text === undefined) throw new TypeError(`${this.owner} stored a value at '${key}' that is not JSON (a function or symbol)`)
    return JSON.parse(text)
  }

  private check(key?: string): void {
    if (!this.isOpen()) throw new Error(`the store of ${this.owner} is closed: the runtime has stopped`)
    if (key === undefined) return
    if (typeof key !== 'string' || key === '') throw new TypeError(`${this.owner} used a store key that is not a non-empty string: ${String(key)}`)
    if (Buffer.byteLength(key) > MAX_KEY_BYTES) throw new RangeError(`${this.owner} used a store key longer than ${MAX_KEY_BYTES} bytes: '${key.slice(0, 40)}…'`)
  }
}

/** One session's part of a store: the same database, under a prefix of its own. */
class SessionView implements PluginStore {
  constructor(
    private readonly store: PluginStore,
    private readonly prefix: string,
  ) {}

  get<T = unknown>(key: string): T | undefined {
    return this.store.get<T>(this.prefix + checked(key))
  }

  has(key: string): boolean {
    return this.store.has(this.prefix + checked(key))
  }

  keys(options: KeysOptions = {}): string[] {
    const { prefix = '', after, limit } = options
    return this.store
      .keys({ prefix: this.prefix + prefix, ...(after !== undefined ? { after: this.prefix + after } : {}), ...(limit !== undefined ? { limit } : {}) })
      .map((key) => key.slice(this.prefix.length))
  }

  set(key: string, value: unknown): Promise<void> {
    return this.store.set(this.prefix + checked(key), value)
  }

  delete(key: string): Promise<boolean> {
    return this.store.delete(this.prefix + checked(key))
  }

  update<T = unknown>(key: string, change: (current: T | undefined) => T): Promise<T> {
    return this.store.update(this.prefix + checked(key), change)
  }

  forSession(): PluginStore {
    throw new Error('store.forSession(...) is a session\'s part of the plugin\'s store already; call forSession on plugin.store')
  }
}

/** An empty key would otherwise name the prefix itself. */
function checked(key: string): string {
  if (typeof key !== 'string' || key === '') throw new TypeError(`a store key must be a non-empty string, not ${String(key)}`)
  return key
}
