import { createHash, randomBytes } from 'node:crypto'
import type { PluginStore } from '../storage/plugin-store.js'

/** What is kept of a session key: never the key, only its hash. */
interface StoredKey {
  id: string
  session: string
  label: string | null
  created_at: string
}

/** What listing a session's keys shows. */
export type SessionKeyInfo = Omit<StoredKey, 'session'>

const hashOf = (key: string): string => createHash('sha256').update(key).digest('hex')

/**
 * API keys that reach one session only. A key is shown once, when it is made;
 * the store holds its SHA-256 (the key is 256 random bits, so a fast hash is
 * enough: there is nothing to guess from it).
 */
export class SessionKeys {
  constructor(private readonly store: () => PluginStore) {}

  /** The session a key belongs to, if it is one of these. */
  sessionOf(key: string): string | undefined {
    if (!key.startsWith('wps_')) return undefined
    return this.store().get<StoredKey>(hashOf(key))?.session
  }

  async create(session: string, label: string | null): Promise<{ key: string; info: SessionKeyInfo }> {
    const key = `wps_${randomBytes(32).toString('base64url')}`
    const stored: StoredKey = { id: randomBytes(6).toString('hex'), session, label, created_at: new Date().toISOString() }
    await this.store().set(hashOf(key), stored)
    return { key, info: infoOf(stored) }
  }

  list(session: string): SessionKeyInfo[] {
    return this.entries()
      .filter(([, stored]) => stored.session === session)
      .map(([, stored]) => infoOf(stored))
      .sort((a, b) => a.created_at.localeCompare(b.created_at))
  }

  /** Whether the session had a key with this id. */
  async revoke(session: string, id: string): Promise<boolean> {
    const found = this.entries().find(([, stored]) => stored.session === session && stored.id === id)
    return found ? this.store().delete(found[0]) : false
  }

  /** A deleted session's keys go with it. */
  async revokeAll(session: string): Promise<void> {
    for (const [hash, stored] of this.entries()) if (stored.session === session) await this.store().delete(hash)
  }

  private entries(): [string, StoredKey][] {
    const store = this.store()
    return store.keys().flatMap((hash) => {
      const stored = store.get<StoredKey>(hash)
      return stored ? [[hash, stored] as [string, StoredKey]] : []
    })
  }
}

function infoOf({ id, label, created_at }: StoredKey): SessionKeyInfo {
  return { id, label, created_at }
}
