import { mkdirSync } from 'node:fs'
import path from 'node:path'
import { open, type Database, type RootDatabase } from 'lmdb'
import type { AuthStore } from './auth-store.js'
import { LmdbAuthStore } from './lmdb-auth-store.js'
import { LmdbOutbox } from './lmdb-outbox.js'
import type { Outbox } from './outbox.js'
import { LmdbPluginStore, type PluginStore } from './plugin-store.js'

/**
 * The runtime's embedded database: one LMDB environment under
 * `<dataDir>/store`, one named database per plugin. LMDB is copy-on-write with
 * ACID transactions: a commit is synced to disk before its promise resolves,
 * and a crash at any point leaves the last committed state, never a torn one.
 * Concurrent writes are batched into one transaction (one sync for many small
 * writes), which is what the WhatsApp auth state needs: Signal keys change
 * with every message.
 */
export class Storage {
  private root: RootDatabase<unknown, string> | undefined
  private readonly stores = new Map<string, PluginStore>()
  private authDb: Database<unknown, string> | undefined
  /** Reopens the environment on next use after close(), like the plugin stores. */
  private readonly auth: AuthStore = new LmdbAuthStore(
    () => (this.authDb ??= this.env().openDB<unknown, string>({ name: 'auth', encoding: 'binary' })),
    () => this.authDb,
  )

  private outboxDb: Database<unknown, string> | undefined
  private readonly events: Outbox = new LmdbOutbox(() => (this.outboxDb ??= this.env().openDB<unknown, string>({ name: 'outbox', encoding: 'json' })))

  constructor(readonly directory: string) {}

  /** The events going out (webhooks, the event stream); closed with the storage. */
  outbox(): Outbox {
    return this.events
  }

  /** Opened on first use, so a runtime whose plugins store nothing creates nothing. */
  private env(): RootDatabase<unknown, string> {
    if (!this.root) {
      mkdirSync(this.directory, { recursive: true })
      this.root = open<unknown, string>({
        path: path.join(this.directory, 'waplug.mdb'),
        encoding: 'json',
        maxDbs: 256,
        // Resolve writes only once they are flushed, not merely committed: "returned" means durable.
        overlappingSync: false,
        noSync: false,
      })
    }
    return this.root
  }

  /** The plugin's own namespace; no plugin is handed another's. */
  forPlugin(plugin: string): PluginStore {
    return this.namespace(`plugins/${plugin}`, `plugin '${plugin}'`)
  }

  /**
   * A namespace of the runtime's own (handled chat messages, idempotency keys),
   * apart from every plugin's: no plugin name can reach it.
   */
  forRuntime(name: string): PluginStore {
    return this.namespace(`runtime/${name}`, `the runtime's '${name}'`)
  }

  /** The WhatsApp sessions' credentials and keys; closed with the storage. */
  authStore(): AuthStore {
    return this.auth
  }

  private namespace(dbName: string, owner: string): PluginStore {
    let store = this.stores.get(dbName)
    if (!store) {
      const db = this.env().openDB<unknown, string>({ name: dbName, encoding: 'json' })
      store = new LmdbPluginStore(owner, db, () => this.root !== undefined)
      this.stores.set(dbName, store)
    }
    return store
  }

  /** Waits for pending writes, then closes; reopens on next use. */
  async close(): Promise<void> {
    const root = this.root
    if (!root) return
    this.root = undefined
    this.stores.clear()
    this.authDb = undefined
    this.outboxDb = undefined
    await root.flushed
    await root.close()
  }
}
