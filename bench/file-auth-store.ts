// The runtime's former way of keeping a session, as an AuthStore, so the bench
// can set the LMDB store against it in the same runtime. Not a store to ship:
// Baileys' multi-file writes are not synced, so a write "resolves once durable"
// only as far as the page cache goes, and a batch is as many files as keys.
import { existsSync } from 'node:fs'
import { readdir, rm } from 'node:fs/promises'
import path from 'node:path'
import { useMultiFileAuthState } from '@whiskeysockets/baileys'
import type { AuthSnapshot, AuthStore, SessionAuth } from '../core/storage/auth-store.js'

/** One folder per session under `root`, each Baileys' `useMultiFileAuthState(folder)` as published. */
export class FileAuthStore implements AuthStore {
  constructor(private readonly root: string) {}

  async open(session: string): Promise<SessionAuth> {
    const registered = await this.has(session)
    const { state, saveCreds } = await useMultiFileAuthState(this.folder(session))
    return { state, registered, saveCreds }
  }

  async has(session: string): Promise<boolean> {
    return existsSync(path.join(this.folder(session), 'creds.json'))
  }

  async sessions(): Promise<string[]> {
    const entries = await readdir(this.root).catch(() => [])
    const found: string[] = []
    for (const session of entries) if (await this.has(session)) found.push(session)
    return found
  }

  async clear(session: string): Promise<void> {
    await rm(this.folder(session), { recursive: true, force: true })
  }

  /** Keeps everything: a bench run is over long before anything would be forgotten. */
  async forget(): Promise<number> {
    return 0
  }

  async snapshot(): Promise<AuthSnapshot | undefined> {
    throw new Error('snapshot is not supported in the bench')
  }

  async restore(): Promise<void> {
    throw new Error('restore is not supported in the bench')
  }

  async close(): Promise<void> {}

  private folder(session: string): string {
    // The runtime names its one session 'default'; anything with a separator would leave the root.
    if (!/^[\w-]+$/.test(session)) throw new TypeError(`'${session}' is not a session id`)
    return path.join(this.root, session)
  }
}
