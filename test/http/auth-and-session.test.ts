import assert from 'node:assert/strict'
import { createHmac } from 'node:crypto'
import { readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { after, before, describe, it } from 'node:test'
import { SignJWT } from 'jose'
import { API_KEY, startHarness, type Harness } from '../support/harness.js'

const SECRET = 'a-jwt-secret-that-is-long-enough-0123'
const key = new TextEncoder().encode(SECRET)
const now = () => Math.floor(Date.now() / 1000)

const jwt = (claims: { exp?: number; nbf?: number } = {}, alg = 'HS256', secret = key) =>
  new SignJWT({}).setProtectedHeader({ alg }).setSubject('ops@example.com').setExpirationTime(claims.exp ?? now() + 60).setNotBefore(claims.nbf ?? now() - 1).sign(secret)

/** Signs any claims, including ones jose's builder would refuse (a `sub` that is not a string). */
const rawJwt = (claims: Record<string, unknown>, secret = SECRET) => {
  const enc = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url')
  const unsigned = `${enc({ alg: 'HS256', typ: 'JWT' })}.${enc(claims)}`
  return `${unsigned}.${createHmac('sha256', secret).update(unsigned).digest('base64url')}`
}

const MISSING = { status: false, code: 401, message: 'Unauthorized', error: 'Invalid or missing authentication' }
const BAD_JWT = { status: false, code: 401, message: 'Unauthorized', error: 'Invalid or expired JWT token' }

describe('authentication', () => {
  let h: Harness
  before(async () => {
    h = await startHarness({ config: { http: { apiKeys: [API_KEY, 'second-key-0123456789'], jwtSecret: SECRET } } })
  })
  after(() => h.close())

  const session = (auth: string | null) => h.request('GET', '/session', { auth })

  it('accepts the key as the whole header, after Bearer, and any of several keys', async () => {
    for (const auth of [API_KEY, `Bearer ${API_KEY}`, `bearer ${API_KEY}`, 'second-key-0123456789']) {
      assert.equal((await session(auth)).status, 200, auth)
    }
  })

  it('accepts a valid HS256 JWT', async () => {
    assert.equal((await session(`Bearer ${await jwt()}`)).status, 200)
    assert.equal((await session(`Bearer ${rawJwt({ sub: 'ops@example.com', exp: now() + 86000 })}`)).status, 200, 'valid for just under a day')
  })

  const refusals: [string, () => Promise<string | null>, object][] = [
    ['no header', async () => null, MISSING],
    ['an unknown key', async () => 'not-a-key-we-know-000', MISSING],
    ['an empty Bearer', async () => 'Bearer ', MISSING],
    ['a JWT signed with another secret', async () => `Bearer ${await jwt({}, 'HS256', new TextEncoder().encode('another-secret-that-is-long-enough-99'))}`, BAD_JWT],
    ['a JWT with another algorithm', async () => `Bearer ${await jwt({}, 'HS512')}`, BAD_JWT],
    ['an expired JWT', async () => `Bearer ${await jwt({ exp: now() - 60 })}`, BAD_JWT],
    ['a JWT not valid yet', async () => `Bearer ${await jwt({ nbf: now() + 600 })}`, BAD_JWT],
    ['a JWT without exp', async () => `Bearer ${rawJwt({ sub: 'ops@example.com' })}`, { ...BAD_JWT, error: 'Invalid or expired JWT token: it has no exp claim; a token must say when it expires' }],
    ['a JWT whose exp is more than a day ahead', async () => `Bearer ${await jwt({ exp: now() + 86400 + 120 })}`, { ...BAD_JWT, error: 'Invalid or expired JWT token: its exp is more than 86400 seconds ahead; a token may be valid for at most 86400 seconds (http.jwtMaxLifetimeSeconds)' }],
    ['a JWT without Bearer', async () => await jwt(), { ...MISSING, error: 'Invalid or missing authentication: send a JWT as Authorization: Bearer <token>' }],
    ['a JWT whose sub is a number', async () => `Bearer ${rawJwt({ sub: 42, exp: now() + 60 })}`, { ...BAD_JWT, error: 'Invalid or expired JWT token: its sub claim is not a string' }],
    ['a JWT whose sub is an object', async () => `Bearer ${rawJwt({ sub: { id: 'x' }, exp: now() + 60 })}`, { ...BAD_JWT, error: 'Invalid or expired JWT token: its sub claim is not a string' }],
    ['an unsigned JWT (alg none)', async () => {
      const enc = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url')
      return `Bearer ${enc({ alg: 'none' })}.${enc({ sub: 'x', exp: now() + 60 })}.`
    }, BAD_JWT],
  ]
  for (const [what, header, expected] of refusals) {
    it(`answers 401 for ${what}`, async () => {
      const { status, envelope } = await session(await header())
      assert.equal(status, 401)
      assert.deepEqual(envelope, expected)
    })
  }

  it('asks for authentication on action routes too, before reading the body', async () => {
    const { status, envelope } = await h.request('POST', '/groups', { auth: null, raw: 'not json', headers: { 'content-type': 'text/plain' } })
    assert.equal(status, 401)
    assert.deepEqual(envelope, MISSING)
  })
})

describe('JWTs with http.jwtRequireExp off and a shorter http.jwtMaxLifetimeSeconds', () => {
  let h: Harness
  before(async () => {
    h = await startHarness({ config: { http: { jwtSecret: SECRET, jwtRequireExp: false, jwtMaxLifetimeSeconds: 3600 } } })
  })
  after(() => h.close())

  it('accepts a JWT without exp, and bounds one with exp by the configured lifetime', async () => {
    assert.equal((await h.request('GET', '/session', { auth: `Bearer ${rawJwt({ sub: 'ops@example.com' })}` })).status, 200)
    assert.equal((await h.request('GET', '/session', { auth: `Bearer ${rawJwt({ sub: 'ops@example.com', exp: now() + 3000 })}` })).status, 200)
    const { status, envelope } = await h.request('GET', '/session', { auth: `Bearer ${rawJwt({ sub: 'ops@example.com', exp: now() + 7200 })}` })
    assert.equal(status, 401)
    assert.equal(envelope.status ? '' : envelope.error, 'Invalid or expired JWT token: its exp is more than 3600 seconds ahead; a token may be valid for at most 3600 seconds (http.jwtMaxLifetimeSeconds)')
  })
})

describe('a JWT when no secret is configured', () => {
  it('is an unknown credential', async () => {
    const h = await startHarness()
    try {
      const { status, envelope } = await h.request('GET', '/session', { auth: `Bearer ${await jwt()}` })
      assert.equal(status, 401)
      assert.deepEqual(envelope, MISSING)
    } finally {
      await h.close()
    }
  })
})

describe('with no key and no JWT secret configured', () => {
  it('generates a key, stores it privately, prints it once, and requires it', async () => {
    const h = await startHarness({ config: { http: { apiKeys: [] } } })
    try {
      const file = path.join(h.dataDir, 'api-key')
      const generated = readFileSync(file, 'utf8').trim()
      assert.match(generated, /^wpk_[\w-]{43}$/)
      assert.equal(statSync(file).mode & 0o777, 0o600)
      assert.ok(h.terminal().includes(`Authorization: ${generated}`))
      assert.equal((await h.request('GET', '/session', { auth: null })).status, 401)
      assert.equal((await h.request('GET', '/session', { auth: generated })).status, 200)
    } finally {
      await h.runtime.stop()
    }
  })
})

describe('routes and session', () => {
  let h: Harness
  before(async () => {
    h = await startHarness()
  })
  after(() => h.close())

  it('GET /health needs no auth and reports the WhatsApp state and plugins', async () => {
    const { status, envelope } = await h.request('GET', '/health', { auth: null })
    assert.equal(status, 200)
    const data = (envelope as { data: { runtime: string; whatsapp: string; plugins: { name: string; state: string }[] } }).data
    assert.equal(data.runtime, 'up')
    assert.equal(data.whatsapp, 'open')
    assert.deepEqual(data.plugins, [{ name: 'groups', state: 'running' }, { name: 'help', state: 'running' }, { name: 'messages', state: 'running' }])
  })

  it('answers 404 in an envelope for an unknown path', async () => {
    const { status, envelope } = await h.request('GET', '/nope')
    assert.equal(status, 404)
    assert.deepEqual(envelope, { status: false, code: 404, message: 'Not found', error: 'No route for GET /nope' })
  })

  it('answers 405 with Allow for a wrong method', async () => {
    const { status, headers, envelope } = await h.request('GET', '/groups/120363000000000001@g.us/leave')
    assert.equal(status, 405)
    assert.equal(headers.get('allow'), 'POST')
    assert.deepEqual(envelope, { status: false, code: 405, message: 'Method not allowed', error: 'GET is not allowed on /groups/120363000000000001@g.us/leave; use POST' })
  })

  it('returns the request id it logged, or the caller’s own', async () => {
    const mine = await h.request('GET', '/session', { headers: { 'x-request-id': 'abc-123' } })
    assert.equal(mine.headers.get('x-request-id'), 'abc-123')
    const generated = await h.request('GET', '/session')
    assert.match(generated.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/)
  })

  it('GET /session shows the QR as text while pairing, and /session/qr.png as an image', async () => {
    h.whatsapp.qr = '2@abc,def,ghi'
    h.whatsapp.setState('pairing')
    const { envelope } = await h.request('GET', '/session')
    assert.deepEqual((envelope as { data: unknown }).data, { id: 'default', state: 'pairing', jid: h.whatsapp.me?.jid, lid: h.whatsapp.me?.lid, qr: '2@abc,def,ghi', pairing_code: null })
    const png = await fetch(`${h.url}/session/qr.png`, { headers: { authorization: API_KEY } })
    assert.equal(png.status, 200)
    assert.equal(png.headers.get('content-type'), 'image/png')
    const bytes = Buffer.from(await png.arrayBuffer())
    assert.deepEqual([...bytes.subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47])
  })

  it('GET /session/qr.png answers 404 when there is nothing to scan', async () => {
    h.whatsapp.setState('open')
    const { status, envelope } = await h.request('GET', '/session/qr.png')
    assert.equal(status, 404)
    assert.deepEqual(envelope, { status: false, code: 404, message: 'Not found', error: 'There is no QR to scan: WhatsApp is open' })
  })

  it('POST /session/logout logs out', async () => {
    const { status, envelope } = await h.request('POST', '/session/logout')
    assert.equal(status, 200)
    assert.deepEqual((envelope as { data: unknown }).data, { state: 'logged-out' })
    assert.equal(h.whatsapp.calls.at(-1)?.op, 'logout')
    const after = (await h.request('GET', '/session')).envelope as { data: { state: string; jid: string | null } }
    assert.deepEqual([after.data.state, after.data.jid], ['logged-out', null])
  })
})
