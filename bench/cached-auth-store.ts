// A store with Baileys' key cache in front of its keys, as the runtime had it
// before the LMDB store: the bench measures whether the cache still saves
// anything over LMDB's memory-mapped reads.
import { makeCacheableSignalKeyStore } from '@whiskeysockets/baileys'
import type { AuthSnapshot, AuthStore, SessionAuth } from '../core/storage/auth-store.js'

export class CachedAuthStore implements AuthStore {
  /** `inner` is a getter: the runtime's own store exists only once the runtime does. */
  constructor(private readonly inner: () => AuthStore) {}

  async open(session: string): Promise<SessionAuth> {
    const { state, registered, saveCreds } = await this.inner().open(session)
    // A cache per connection, as Baileys' examples make one per socket.
    return { state: { creds: state.creds, keys: makeCacheableSignalKeyStore(state.keys) }, registered, saveCreds }
  }

  has(session: string): Promise<boolean> {
    return this.inner().has(session)
  }

  sessions(): Promise<string[]> {
    return this.inner().sessions()
  }

  clear(session: string): Promise<void> {
    return this.inner().clear(session)
  }

  forget(session: string, type: string, stale: (value: unknown) => boolean): Promise<number> {
    return this.inner().forget(session, type, stale)
  }

  snapshot(session: string): Promise<AuthSnapshot | undefined> {
    return this.inner().snapshot(session)
  }

  restore(session: string, snapshot: AuthSnapshot): Promise<void> {
    return this.inner().restore(session, snapshot)
  }

  close(): Promise<void> {
    return this.inner().close()
  }
}
