// Many numbers in one runtime, over HTTP: the /sessions routes, every action
// route under /sessions/:session, session keys and JWT session claims. The
// connections are in-memory doubles, one per session (harness.session(id)).
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { after, before, describe, it } from 'node:test'
import { SignJWT } from 'jose'
import { startHarness, type Harness } from '../support/harness.js'

const SECRET = 'a-jwt-secret-of-at-least-32-characters!'
const jwt = (claims: Record<string, unknown>) =>
  new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setSubject('ops@example.com').setExpirationTime('5m').sign(new TextEncoder().encode(SECRET))

describe('sessions over HTTP', () => {
  let h: Harness
  before(async () => {
    h = await startHarness({ config: { http: { jwtSecret: SECRET } } })
  })
  after(() => h.close())

  it('creates a session (201), refuses a second with the same id (409) and a bad id (400), and lists and shows them', async () => {
    const created = await h.request('POST', '/sessions', { body: { id: 'sales' } })
    assert.equal(created.status, 201)
    assert.equal((created.envelope as { data: { id: string } }).data.id, 'sales')

    const again = await h.request('POST', '/sessions', { body: { id: 'sales' } })
    assert.equal(again.status, 409)
    assert.match((again.envelope as { error: string }).error, /already exists/)

    const bad = await h.request('POST', '/sessions', { body: { id: 'Sales Team' } })
    assert.equal(bad.status, 400)
    assert.match((bad.envelope as { error: string }).error, /lower-case letters, digits, _ and -/)

    const list = await h.request('GET', '/sessions')
    assert.deepEqual(
      (list.envelope as { data: { id: string }[] }).data.map((s) => s.id),
      ['default', 'sales'],
    )
    const one = await h.request('GET', '/sessions/sales')
    assert.deepEqual((one.envelope as { data: unknown }).data, { id: 'sales', state: 'open', jid: h.session('sales').me?.jid, lid: h.session('sales').me?.lid, qr: null, pairing_code: null })

    const missing = await h.request('GET', '/sessions/nobody/groups')
    assert.equal(missing.status, 404)
    assert.match((missing.envelope as { error: string }).error, /no session 'nobody'; GET \/sessions lists them/)
  })

  it("acts on the session the path names; the unprefixed routes act on default", async () => {
    const onSales = await h.request('POST', '/sessions/sales/groups', { body: { name: 'Sales team', participants: ['15550002222'] } })
    assert.equal(onSales.status, 200)
    const onDefault = await h.request('POST', '/groups', { body: { name: 'Default team', participants: ['15550002222'] } })
    assert.equal(onDefault.status, 200)
    assert.deepEqual([...h.session('sales').known.values()].map((g) => g.subject), ['Sales team'])
    assert.deepEqual([...h.whatsapp.known.values()].map((g) => g.subject), ['Default team'])

    // A group of one number is not found through the other.
    const salesGroup = (onSales.envelope as { data: { jid: string } }).data.jid
    assert.equal((await h.request('GET', `/groups/${encodeURIComponent(salesGroup)}`)).status, 404)
    assert.equal((await h.request('GET', `/sessions/sales/groups/${encodeURIComponent(salesGroup)}`)).status, 200)
  })

  it('keeps Idempotency-Keys per session: the same key on two numbers is two requests', async () => {
    const headers = { 'idempotency-key': 'same-key-1' }
    const a = await h.request('POST', '/groups', { body: { name: 'Key A', participants: ['15550002222'] }, headers })
    const b = await h.request('POST', '/sessions/sales/groups', { body: { name: 'Key B', participants: ['15550002222'] }, headers })
    assert.equal(a.status, 200)
    assert.equal(b.status, 200)
    assert.equal(b.headers.get('idempotent-replayed'), null)
  })

  it('a session key is shown once, listed without itself, and reaches only its own session', async () => {
    const made = await h.request('POST', '/sessions/sales/keys', { body: { label: 'shop front' } })
    assert.equal(made.status, 201)
    const { key, id } = (made.envelope as { data: { key: string; id: string } }).data
    assert.match(key, /^wps_/)
    const listed = await h.request('GET', '/sessions/sales/keys')
    assert.deepEqual(
      (listed.envelope as { data: Record<string, unknown>[] }).data.map(({ id: keyId, label }) => ({ id: keyId, label })),
      [{ id, label: 'shop front' }],
    )
    assert.ok(!JSON.stringify(listed.envelope).includes(key), 'the key itself is never listed')

    const as = { auth: key }
    assert.equal((await h.request('GET', '/sessions/sales', as)).status, 200)
    assert.equal((await h.request('POST', '/sessions/sales/groups', { ...as, body: { name: 'By key', participants: ['15550002222'] } })).status, 200)
    for (const [method, route] of [
      ['GET', '/sessions/default'],
      ['GET', '/session'],
      ['POST', '/groups'],
      ['GET', '/sessions'],
      ['POST', '/sessions'],
      ['POST', '/sessions/sales/keys'],
      ['DELETE', '/sessions/sales'],
      ['POST', '/sessions/sales/logout'],
    ] as const) {
      const refused = await h.request(method, route, { ...as, ...(method === 'GET' ? {} : { body: { id: 'other', name: 'x' } }) })
      assert.equal(refused.status, 403, `${method} ${route}`)
    }
    const other = await h.request('GET', '/sessions/default/groups', as)
    assert.match((other.envelope as { error: string }).error, /for session 'sales', not 'default'/)

    assert.equal((await h.request('DELETE', `/sessions/sales/keys/${id}`)).status, 200)
    assert.equal((await h.request('GET', '/sessions/sales', as)).status, 401, 'a revoked key lets no one in')
  })

  it('a JWT with a sessions claim reaches only those sessions; one without is an admin', async () => {
    const scoped = { auth: `Bearer ${await jwt({ sessions: ['sales'] })}` }
    assert.equal((await h.request('GET', '/sessions/sales', scoped)).status, 200)
    assert.equal((await h.request('GET', '/groups', scoped)).status, 403)
    assert.equal((await h.request('GET', '/sessions', scoped)).status, 403)
    const admin = { auth: `Bearer ${await jwt({})}` }
    assert.equal((await h.request('GET', '/sessions', admin)).status, 200)
  })

  it('deleting a session logs its number out and removes it and its keys; default cannot be deleted', async () => {
    await h.request('POST', '/sessions', { body: { id: 'temp' } })
    const key = ((await h.request('POST', '/sessions/temp/keys', { body: {} })).envelope as { data: { key: string } }).data.key
    const temp = h.session('temp')
    const deleted = await h.request('DELETE', '/sessions/temp')
    assert.equal(deleted.status, 200)
    assert.ok(temp.calls.some((call) => call.op === 'logout'), 'the number was logged out')
    assert.equal((await h.request('GET', '/sessions/temp')).status, 404)
    assert.equal((await h.request('GET', '/sessions/temp', { auth: key })).status, 401)

    const refused = await h.request('DELETE', '/sessions/default')
    assert.equal(refused.status, 409)
    assert.match((refused.envelope as { error: string }).error, /POST \/sessions\/default\/logout/)
    assert.equal(h.whatsapp.state, 'open')
  })
})

describe('sessions across a restart', () => {
  it('a session created over HTTP is there again after a restart, with its settings', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'waplug-sessions-'))
    try {
      const first = await startHarness({ dataDir })
      await first.request('POST', '/sessions', { body: { id: 'shop', prefixes: ['#'] } })
      await first.close()
      const second = await startHarness({ dataDir })
      try {
        const list = await second.request('GET', '/sessions')
        assert.deepEqual((list.envelope as { data: { id: string }[] }).data.map((s) => s.id), ['default', 'shop'])
        assert.equal((await second.say('#help', { session: 'shop' })).length, 1, "the shop's own prefix survived the restart")
      } finally {
        await second.close()
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true })
    }
  })
})
