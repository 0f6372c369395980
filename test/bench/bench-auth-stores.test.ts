import assert from 'node:assert/strict'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, it } from 'node:test'
import { authStoreKind, benchAuthStore } from '../../bench/bench-auth-store.js'
import { CachedAuthStore } from '../../bench/cached-auth-store.js'
import { FileAuthStore } from '../../bench/file-auth-store.js'
import type { Runtime } from '../../core/runtime.js'
import { Storage } from '../../core/storage/storage.js'

// The bench sets the LMDB store against these two; a comparison is only fair
// if they keep a session as well as the runtime needs, so they are tested here.
describe('the auth stores the bench compares LMDB with', () => {
  let directory: string
  beforeEach(() => {
    directory = mkdtempSync(path.join(tmpdir(), 'waplug-bench-stores-'))
  })
  afterEach(() => rmSync(directory, { recursive: true, force: true }))

  it('file store: keeps keys and credentials across opens, and clear removes the session folder', async () => {
    const store = new FileAuthStore(path.join(directory, 'auth-files'))
    const first = await store.open('default')
    assert.equal(first.registered, false)
    first.state.creds.nextPreKeyId = 42
    await first.state.keys.set({ session: { '123_1.0': Buffer.from([1, 2, 3]) } })
    await first.saveCreds()

    const again = await store.open('default')
    assert.equal(again.registered, true)
    assert.equal(again.state.creds.nextPreKeyId, 42)
    assert.deepEqual([...(await again.state.keys.get('session', ['123_1.0']))['123_1.0']!], [1, 2, 3])
    assert.deepEqual(await store.sessions(), ['default'])

    await store.clear('default')
    assert.equal(await store.has('default'), false)
    assert.equal(existsSync(path.join(directory, 'auth-files', 'default')), false)
    await assert.rejects(store.snapshot(), /not supported in the bench/)
  })

  it('LMDB behind the key cache: writes reach LMDB, so a reopened plain store reads them', async () => {
    const storage = new Storage(path.join(directory, 'store'))
    try {
      const cached = new CachedAuthStore(() => storage.authStore())
      const { state, registered } = await cached.open('default')
      assert.equal(registered, false)
      await state.keys.set({ 'sender-key': { 'g@g.us::1::0': Buffer.from('sk') } })
      assert.equal(String((await state.keys.get('sender-key', ['g@g.us::1::0']))['g@g.us::1::0']), 'sk')
      const plain = await storage.authStore().open('default')
      assert.equal(String((await plain.state.keys.get('sender-key', ['g@g.us::1::0']))['g@g.us::1::0']), 'sk')
      assert.equal(await cached.has('default'), true, 'the batch committed the credentials with it')
    } finally {
      await storage.close()
    }
  })

  it('BENCH_AUTH_STORE picks the store; unset is the runtime\'s own, an unknown name is refused', () => {
    const noRuntime = (): Runtime => assert.fail('the runtime is not asked for until the store is used')
    assert.equal(authStoreKind(undefined), 'lmdb')
    assert.equal(benchAuthStore('lmdb', directory, noRuntime), undefined)
    assert.ok(benchAuthStore('files', directory, noRuntime) instanceof FileAuthStore)
    assert.ok(benchAuthStore('lmdb-cached', directory, noRuntime) instanceof CachedAuthStore)
    assert.throws(() => authStoreKind('sqlite'), /must be one of lmdb, files, lmdb-cached/)
  })
})
