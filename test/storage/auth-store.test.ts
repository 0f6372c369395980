import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, it } from 'node:test'
import { copySession } from '../../core/storage/auth-store.js'
import { Storage } from '../../core/storage/storage.js'
import { killWriterAfter } from '../support/killed-writer.js'

describe('the WhatsApp auth store', () => {
  let directory: string
  let storage: Storage
  beforeEach(() => {
    directory = mkdtempSync(path.join(tmpdir(), 'waplug-auth-'))
    storage = new Storage(directory)
  })
  afterEach(async () => {
    await storage.close()
    rmSync(directory, { recursive: true, force: true })
  })

  it('stores every key type it is given, binary as binary, and a null removes a key', async () => {
    const { state, registered } = await storage.authStore().open('default')
    assert.equal(registered, false, 'a session never stored has to pair')
    await state.keys.set({
      session: { '123_1.0': new Uint8Array([1, 2, 3]) },
      'lid-mapping': { '15550001': '98765', '98765_reverse': '15550001' },
      'device-list': { '15550001': ['0', '3'] },
    })
    // A type Baileys may add later is stored like the others.
    await state.keys.set({ 'future-kind': { x: Buffer.from('later') } } as never)
    await state.keys.set({ 'lid-mapping': { '98765_reverse': null } })
    await storage.close()

    const reopened = await new Storage(directory).authStore().open('default')
    const session = await reopened.state.keys.get('session', ['123_1.0', 'absent'])
    assert.ok(Buffer.isBuffer(session['123_1.0']))
    assert.deepEqual([...(session['123_1.0'] as Uint8Array)], [1, 2, 3])
    assert.equal('absent' in session, false)
    assert.deepEqual(await reopened.state.keys.get('lid-mapping', ['15550001', '98765_reverse']), { '15550001': '98765' })
    assert.deepEqual(await reopened.state.keys.get('device-list', ['15550001']), { '15550001': ['0', '3'] })
    assert.equal(String((await reopened.state.keys.get('future-kind' as 'session', ['x'])).x), 'later')
  })

  it('commits the credentials with every key batch, so they never disagree after a crash', async () => {
    const { state } = await storage.authStore().open('default')
    // Baileys changes creds in place, then commits the prekeys that change describes.
    state.creds.nextPreKeyId = 31
    await state.keys.set({ 'pre-key': { 30: { public: Buffer.alloc(32, 1), private: Buffer.alloc(32, 2) } } })
    await storage.close()
    const reopened = await new Storage(directory).authStore().open('default')
    assert.equal(reopened.registered, true)
    assert.equal(reopened.state.creds.nextPreKeyId, 31)
    assert.ok(Buffer.isBuffer(reopened.state.creds.noiseKey.private), 'key pairs come back as Buffers')
  })

  it('refuses a failed batch whole: nothing of it is stored, and the write rejects', async () => {
    const { state } = await storage.authStore().open('default')
    const circular: Record<string, unknown> = {}
    circular.self = circular
    await assert.rejects(async () => state.keys.set({ session: { good: Buffer.from('a') }, 'sender-key': { bad: circular as never } }))
    assert.deepEqual(await state.keys.get('session', ['good']), {})
  })

  it('clears a session in one go, and a write from its old connection is refused', async () => {
    const store = storage.authStore()
    const old = await store.open('default')
    await old.state.keys.set({ session: { a: Buffer.from('a') } })
    await store.open('other').then(({ saveCreds }) => saveCreds())
    await store.clear('default')
    assert.equal(await store.has('default'), false)
    assert.deepEqual(await store.sessions(), ['other'], 'other sessions are untouched')
    await assert.rejects(async () => old.state.keys.set({ session: { b: Buffer.from('b') } }), /was cleared/)
    assert.equal(await store.has('default'), false, 'the refused write did not bring the session back')
  })

  it('forgets the keys of one type that a sweep picks, in that session only; a clear removes the rest with the session', async () => {
    const store = storage.authStore()
    const { state } = await store.open('default')
    const kept = (at: number) => ({ id: `m${at}`, plain: Buffer.from(`text ${at}`), at })
    await state.keys.set({ 'read-again': { a: kept(1), b: kept(5), c: kept(9) }, session: { s: Buffer.from('s') } } as never)
    const other = await store.open('other')
    await other.state.keys.set({ 'read-again': { a: kept(1) } } as never)
    const before = (at: number) => (value: unknown) => (value as { at: number }).at < at

    assert.equal(await store.forget('default', 'read-again', before(6)), 2)
    assert.deepEqual(Object.keys(await state.keys.get('read-again' as 'session', ['a', 'b', 'c'])), ['c'])
    assert.deepEqual(Object.keys(await state.keys.get('session', ['s'])), ['s'], 'other types are left alone')
    assert.deepEqual(Object.keys(await other.state.keys.get('read-again' as 'session', ['a'])), ['a'], 'other sessions are left alone')
    assert.equal(await store.forget('default', 'read-again', before(6)), 0)

    await store.clear('default')
    assert.deepEqual((await store.snapshot('other'))?.keys.map(({ type, id }) => `${type}/${id}`), ['read-again/a'])
    const reopened = await store.open('default')
    assert.deepEqual(await reopened.state.keys.get('read-again' as 'session', ['c']), {}, 'a logout leaves no text behind')
  })

  it('copies a session into another store, keys and credentials', async () => {
    const { state } = await storage.authStore().open('default')
    await state.keys.set({ 'sender-key': { 'g@g.us::123::0': Buffer.from('sk') } })
    const other = new Storage(mkdtempSync(path.join(tmpdir(), 'waplug-auth-copy-')))
    try {
      await copySession(storage.authStore(), 'default', other.authStore(), 'sales')
      const copy = await other.authStore().open('sales')
      assert.equal(copy.registered, true)
      assert.deepEqual(copy.state.creds.signedIdentityKey, state.creds.signedIdentityKey)
      assert.equal(String((await copy.state.keys.get('sender-key', ['g@g.us::123::0']))['g@g.us::123::0']), 'sk')
    } finally {
      await other.close()
      rmSync(other.directory, { recursive: true, force: true })
    }
  })

  it('refuses a write from a connection that outlived the storage, without opening the database again', async () => {
    const { state } = await storage.authStore().open('default')
    await storage.close()
    await assert.rejects(async () => state.keys.set({ session: { late: Buffer.from('x') } }), /the WhatsApp session store is closed/)
    // A second handle on the same file in one process is what LMDB cannot have: the next opener must be the only one.
    const { saveCreds } = await storage.authStore().open('default')
    await saveCreds()
    assert.equal(await storage.authStore().has('default'), true)
  })

  it('names what is wrong with a bad session id', async () => {
    await assert.rejects(storage.authStore().open('Sales Team'), { message: "'Sales Team' is not a session id: use 1 to 32 of a-z, 0-9, _ and -" })
  })

  it('keeps every acknowledged batch whole, with its credentials, when the process is killed mid-write', async () => {
    await storage.close()
    const acknowledged = await killWriterAfter(path.resolve('test/fixtures/auth-writer.ts'), directory, 60)
    const { state } = await new Storage(directory).authStore().open('writer')
    // Whatever was in flight either landed whole or not at all.
    const last = state.creds.nextPreKeyId - 1
    assert.ok(last >= acknowledged, `batch ${acknowledged} was acknowledged, the credentials say ${last}`)
    const preKeys = await state.keys.get('pre-key', Array.from({ length: last + 1 }, (_, i) => String(i)))
    assert.equal(Object.keys(preKeys).length, last + 1, 'every prekey the credentials count is stored')
    const session = await state.keys.get('session', [`contact-${last % 5}.0`])
    assert.equal(session[`contact-${last % 5}.0`]?.[0], last % 256, 'the newest session record went with the newest credentials')
  })
})
