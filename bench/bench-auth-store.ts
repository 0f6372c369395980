// Which AuthStore the runtime bot runs on, from BENCH_AUTH_STORE: the
// runtime's own LMDB store (the default), Baileys' multi-file store, or LMDB
// behind Baileys' key cache. Everything else about the bot stays the same.
import path from 'node:path'
import { resolve } from '../core/container.js'
import type { Runtime } from '../core/runtime.js'
import type { AuthStore } from '../core/storage/auth-store.js'
import { Tokens } from '../core/tokens.js'
import { CachedAuthStore } from './cached-auth-store.js'
import { FileAuthStore } from './file-auth-store.js'

export const AUTH_STORES = ['lmdb', 'files', 'lmdb-cached'] as const
export type AuthStoreKind = (typeof AUTH_STORES)[number]

export function authStoreKind(value: string | undefined): AuthStoreKind {
  const kind = value || 'lmdb'
  if (!(AUTH_STORES as readonly string[]).includes(kind)) throw new Error(`BENCH_AUTH_STORE must be one of ${AUTH_STORES.join(', ')}, not '${kind}'`)
  return kind as AuthStoreKind
}

/**
 * The store to hand createRuntime; undefined leaves the runtime its own.
 * `runtime` is the one being created: the cached store wraps its LMDB store,
 * so that the cache is the only difference.
 */
export function benchAuthStore(kind: AuthStoreKind, dataDir: string, runtime: () => Runtime): AuthStore | undefined {
  switch (kind) {
    case 'lmdb':
      return undefined
    // Not DATA_DIR/auth: the runtime would take that folder in as an earlier version's session.
    case 'files':
      return new FileAuthStore(path.join(dataDir, 'auth-files'))
    case 'lmdb-cached':
      return new CachedAuthStore(() => resolve(runtime().container, Tokens.Storage).authStore())
  }
}
