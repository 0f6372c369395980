import { initAuthCreds, proto, type AuthenticationCreds, type SignalDataSet, type SignalDataTypeMap } from '@whiskeysockets/baileys'
import type { Database } from 'lmdb'
import { Packr } from 'msgpackr'
import type { AuthKeyEntry, AuthSnapshot, AuthStore, SessionAuth } from './auth-store.js'

/*
 * Keys in the 'auth' database: `<session>/c` holds the credentials and
 * `<session>/k/<type>/<id>` each Signal key. Session ids and Baileys' key
 * types contain no '/', so `<session>/` starts exactly one session's range.
 */
const credsKey = (session: string) => `${session}/c`
const keyPrefix = (session: string) => `${session}/k/`
const keyOf = (session: string, type: string, id: string) => `${keyPrefix(session)}${type}/${id}`
/** The first key after every key of the session: '0' follows '/'. */
const rangeOf = (session: string) => ({ start: `${session}/`, end: `${session}0` })

/** Self-contained msgpack: Buffers stay Buffers, and a value needs no shared record structures to be read. */
const packr = new Packr({ useRecords: false })
// pack() may return a view of a buffer it reuses; a stored value must own its bytes.
const encode = (value: unknown): Buffer => Buffer.from(packr.pack(value))
const decode = (bytes: unknown): unknown => (bytes === undefined ? undefined : packr.unpack(bytes as Buffer))

/**
 * The AuthStore on LMDB. Every write is an LMDB transaction that resolves once
 * synced to disk; a crash leaves the last committed state, never a torn one.
 * Values are encoded before the transaction opens: lmdb's asynchronous
 * transactions commit whatever was put even when their callback throws, so
 * nothing that can fail runs inside one.
 */
export class LmdbAuthStore implements AuthStore {
  /** Bumped by clear(): writes from a connection opened before it are refused. */
  private readonly generations = new Map<string, number>()

  /**
   * `database` opens the environment if needed and gives its handle; `current` gives the
   * open handle, if any, without opening: a connection from before a close must not write.
   */
  constructor(
    private readonly database: () => Database<unknown, string>,
    private readonly current: () => Database<unknown, string> | undefined,
  ) {}

  private get db(): Database<unknown, string> {
    return this.database()
  }

  async open(session: string): Promise<SessionAuth> {
    checkSession(session)
    // This connection keeps the handle it opened with: once the storage is closed its
    // late writes fail, rather than open the database a second time in this process.
    const db = this.db
    const stored = decode(db.get(credsKey(session))) as AuthenticationCreds | undefined
    const creds = stored ?? initAuthCreds()
    const generation = this.generation(session)
    const usable = () => {
      // lmdb throws from a timer, out of reach of any caller, when a closed environment is written to.
      if (this.current() !== db) throw new Error(`the WhatsApp session store is closed (the runtime stopped); session '${session}' is no longer written`)
    }
    const write = async (writes: [key: string, value: Buffer | null][]) => {
      usable()
      const cleared = () => this.generation(session) !== generation
      const refused = () => new Error(`the stored WhatsApp session '${session}' was cleared; this write belongs to its old connection`)
      if (cleared()) throw refused()
      const written = await db.transaction(() => {
        // Checked again inside: a clear may have committed while this write waited its turn.
        if (cleared()) return false
        for (const [key, value] of writes) {
          if (value === null) db.removeSync(key)
          else db.putSync(key, value)
        }
        return true
      })
      if (!written) throw refused()
    }
    return {
      state: {
        creds,
        keys: {
          get: async <T extends keyof SignalDataTypeMap>(type: T, ids: string[]) => {
            const found: { [id: string]: SignalDataTypeMap[T] } = {}
            usable()
            for (const id of ids) {
              const value = decode(db.get(keyOf(session, type, id)))
              if (value !== undefined) found[id] = revive(type, value) as SignalDataTypeMap[T]
            }
            return found
          },
          set: async (data: SignalDataSet) => {
            const writes: [string, Buffer | null][] = []
            for (const [type, values] of Object.entries(data)) {
              for (const [id, value] of Object.entries(values ?? {})) {
                writes.push([keyOf(session, type, id), value === null || value === undefined ? null : encode(value)])
              }
            }
            // Baileys updates creds in place before it commits the keys they describe
            // (the next prekey id, for one): both land in this one transaction.
            writes.push([credsKey(session), encode(creds)])
            await write(writes)
          },
        },
      },
      registered: stored !== undefined,
      saveCreds: () => write([[credsKey(session), encode(creds)]]),
    }
  }

  async has(session: string): Promise<boolean> {
    return this.db.doesExist(credsKey(session))
  }

  async sessions(): Promise<string[]> {
    const found: string[] = []
    for (const key of this.db.getKeys()) {
      if (key.endsWith('/c') && key.indexOf('/') === key.length - 2) found.push(key.slice(0, -2))
    }
    return found
  }

  async clear(session: string): Promise<void> {
    checkSession(session)
    this.generations.set(session, this.generation(session) + 1)
    await this.db.transaction(() => this.removeAll(session))
  }

  async forget(session: string, type: string, stale: (value: unknown) => boolean): Promise<number> {
    checkSession(session)
    if (type.includes('/')) throw new TypeError(`'${type}' is not a key type: it contains '/'`)
    // A sweep may come from a timer as the runtime stops: a closed environment is not opened again.
    const db = this.current()
    if (!db) return 0
    const generation = this.generation(session)
    const prefix = `${keyPrefix(session)}${type}/`
    // Read and judged outside the transaction: nothing that can throw runs inside one.
    const gone: string[] = []
    for (const { key, value } of db.getRange({ start: prefix, end: `${keyPrefix(session)}${type}0` })) {
      if (key.startsWith(prefix) && stale(decode(value))) gone.push(key)
    }
    if (gone.length === 0) return 0
    return db.transaction(() => {
      if (this.generation(session) !== generation) return 0
      for (const key of gone) db.removeSync(key)
      return gone.length
    })
  }

  async snapshot(session: string): Promise<AuthSnapshot | undefined> {
    checkSession(session)
    const creds = decode(this.db.get(credsKey(session))) as AuthenticationCreds | undefined
    if (!creds) return undefined
    const keys: AuthKeyEntry[] = []
    const prefix = keyPrefix(session)
    for (const { key, value } of this.db.getRange(rangeOf(session))) {
      if (!key.startsWith(prefix)) continue
      const rest = key.slice(prefix.length)
      const slash = rest.indexOf('/')
      keys.push({ type: rest.slice(0, slash), id: rest.slice(slash + 1), value: decode(value) })
    }
    return { creds, keys }
  }

  async restore(session: string, snapshot: AuthSnapshot): Promise<void> {
    checkSession(session)
    const writes = snapshot.keys.map(({ type, id, value }) => [keyOf(session, type, id), encode(value)] as const)
    const creds = encode(snapshot.creds)
    this.generations.set(session, this.generation(session) + 1)
    await this.db.transaction(() => {
      this.removeAll(session)
      for (const [key, value] of writes) this.db.putSync(key, value)
      this.db.putSync(credsKey(session), creds)
    })
  }

  /** The environment is the Storage's to close; pending writes are awaited there. */
  async close(): Promise<void> {}

  private removeAll(session: string): void {
    for (const key of this.db.getKeys(rangeOf(session))) this.db.removeSync(key)
  }

  private generation(session: string): number {
    return this.generations.get(session) ?? 0
  }
}

/** Baileys reads app state sync keys as protobuf objects, not plain ones. */
function revive(type: string, value: unknown): unknown {
  return type === 'app-state-sync-key' ? proto.Message.AppStateSyncKeyData.fromObject(value as Record<string, unknown>) : value
}

function checkSession(session: string): void {
  if (!/^[a-z0-9_-]{1,32}$/.test(session)) throw new TypeError(`'${session}' is not a session id: use 1 to 32 of a-z, 0-9, _ and -`)
}
