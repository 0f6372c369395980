import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, it } from 'node:test'
import type { AuthStore } from '../../core/storage/auth-store.js'
import { Storage } from '../../core/storage/storage.js'
import { baileysSendsAfterCommit, missingPatches } from '../../core/whatsapp/baileys-patch.js'
import { installSignal } from '../../emulator/signal/index.js'
import { pair, startEmulatedRuntime } from '../support/emulated-runtime.js'

const CONTACT = '15550005555'
const HELD_MS = 1500

/** The real store, with every Signal session write held back a while, as a slow disk would. */
function slowSessionWrites(store: AuthStore, pending: Set<string>): AuthStore {
  // The store's other methods as they are (a spread would drop those on its prototype).
  return Object.assign(Object.create(store) as AuthStore, {
    open: async (session: string) => {
      const auth = await store.open(session)
      const { keys } = auth.state
      return {
        ...auth,
        state: {
          creds: auth.state.creds,
          keys: {
            get: keys.get.bind(keys),
            set: async (data: Parameters<typeof keys.set>[0]) => {
              const sessions = Object.keys(data.session ?? {})
              if (sessions.length === 0) return keys.set(data)
              for (const id of sessions) pending.add(id)
              await new Promise((resolve) => setTimeout(resolve, HELD_MS))
              await keys.set(data)
              for (const id of sessions) pending.delete(id)
            },
          },
        },
      }
    },
  })
}

describe('what is sent is never ahead of what is stored', () => {
  it('Baileys is patched: a message leaves only after the transaction that encrypted it has committed', () => {
    assert.equal(baileysSendsAfterCommit(), true, "npm ci applies patches/ (waplug's postinstall)")
    assert.deepEqual(missingPatches(), [], 'the libsignal patch too')
  })

  it('a reply reaches the contact only once the session state it was encrypted with is durable', async () => {
    const storeDir = mkdtempSync(path.join(tmpdir(), 'waplug-slow-store-'))
    const storage = new Storage(storeDir)
    const pending = new Set<string>()
    const e = await startEmulatedRuntime({ authStore: slowSessionWrites(storage.authStore(), pending) })
    const signal = installSignal(e.emulator.host, { timeoutMs: 15_000 })
    e.emulator.addContact({ phone: CONTACT, name: 'Contact' })
    try {
      await pair(e)
      for (let i = 0; i < 3; i++) {
        const { id } = await signal.contact(CONTACT).say('!ping')
        const [reply] = await signal.repliesTo(id, { count: 1 })
        assert.equal(reply?.text, 'pong')
        assert.deepEqual([...pending], [], `reply ${i + 1} arrived while the session write it depends on was still held back`)
      }
    } finally {
      signal.close()
      await e.close()
      await storage.close()
      rmSync(storeDir, { recursive: true, force: true })
    }
  })
})
