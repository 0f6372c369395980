import { mkdirSync } from 'node:fs'
import path from 'node:path'
import { open, type RootDatabase } from 'lmdb'
import { LmdbPluginStore, type PluginStore } from './plugin-store.js'

/**
 * The runtime's embedded database: one LMDB environment under
 * `<dataDir>/store`, one named database per plugin. LMDB is copy-on-write with
 * ACID transactions: a commit is synced to disk before its promise resolves,
 * and a crash at any point leaves the last committed state, never a torn one.
 * Concurrent writes are batched into one transaction (one sync for many small
 * writes), which is what the WhatsApp auth state will need too.
 */
export class Storage {
  private root: RootDatabase<unknown, string> | undefined
  private readonly stores = new Map<string, PluginStore>()

  constructor(readonly directory: string) {}

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
    await root.flushed
    await root.close()
  }
}
