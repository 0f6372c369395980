import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, it } from 'node:test'
import { SignJWT } from 'jose'
import { KEPT_FOR_MS, IdempotencyRecords } from '../../core/http/idempotency-records.js'
import { Storage } from '../../core/storage/storage.js'
import { API_KEY, startHarness } from '../support/harness.js'

const SECRET = 'a-jwt-secret-that-is-long-enough-0123'
const REQUEST = { fingerprint: 'f1', route: 'POST /groups' }
const ANSWER = { status: 200, headers: {}, body: { status: true, code: 200, message: 'Group created successfully', data: {} } }

describe('idempotency records', () => {
  it('forget an answer after 24 hours: the key runs again, and a sweep deletes what expired', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'waplug-idem-'))
    const storage = new Storage(dir)
    let now = Date.UTC(2026, 0, 1)
    const records = new IdempotencyRecords(() => storage.forRuntime('idempotency'), (error) => assert.fail(error as Error), () => now)
    try {
      const first = await records.claim('caller', 'k1', REQUEST)
      assert.equal(first.kind, 'run')
      if (first.kind === 'run') await records.finish(first, ANSWER)
      now += KEPT_FOR_MS - 1000
      assert.deepEqual(await records.claim('caller', 'k1', REQUEST), { kind: 'replay', response: ANSWER })
      now += 2000
      assert.equal((await records.claim('caller', 'k1', REQUEST)).kind, 'run', 'a day later the key is new again')
      const other = await records.claim('caller', 'k2', REQUEST)
      if (other.kind === 'run') await records.finish(other, ANSWER)
      now += KEPT_FOR_MS + 1000
      assert.equal(await records.prune(), 1, 'the finished record expired; the one still running is kept')
      assert.equal(storage.forRuntime('idempotency').keys().length, 1)
    } finally {
      await storage.close()
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('tell a retry when the first run was cut off by a stop, and that another is still running', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'waplug-idem-'))
    const storage = new Storage(dir)
    const open = () => new IdempotencyRecords(() => storage.forRuntime('idempotency'), (error) => assert.fail(error as Error))
    try {
      const before = open()
      assert.equal((await before.claim('caller', 'k1', REQUEST)).kind, 'run')
      assert.deepEqual(await before.claim('caller', 'k1', REQUEST), { kind: 'in-flight' })
      const afterRestart = open()
      assert.deepEqual(await afterRestart.claim('caller', 'k1', REQUEST), { kind: 'interrupted', route: 'POST /groups' })
    } finally {
      await storage.close()
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('hold neither the API key nor the JWT, only hashes of who called', async () => {
    const h = await startHarness({ config: { http: { jwtSecret: SECRET } } })
    const token = await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject('ops@example.com').setExpirationTime('5m').sign(new TextEncoder().encode(SECRET))
    try {
      for (const auth of [API_KEY, `Bearer ${token}`]) {
        const { status } = await h.request('POST', '/groups', { body: { name: 'Secretless' }, auth, headers: { 'idempotency-key': 'secret-check' } })
        assert.equal(status, 200)
      }
    } finally {
      await h.runtime.stop()
    }
    const storage = new Storage(path.join(h.dataDir, 'store'))
    try {
      const store = storage.forRuntime('idempotency')
      const stored = JSON.stringify(store.keys().map((key) => [key, store.get(key)]))
      assert.equal(store.keys().length, 2, 'one record per caller')
      for (const secret of [API_KEY, token, 'ops@example.com']) assert.ok(!stored.includes(secret), 'a secret or the subject is in the records')
    } finally {
      await storage.close()
      await h.close()
    }
  })
})
