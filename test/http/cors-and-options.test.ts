import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { API_KEY, startHarness, type Harness } from '../support/harness.js'

const APP = 'https://app.example.com'
const CORS_HEADERS = ['access-control-allow-origin', 'access-control-allow-methods', 'access-control-allow-headers', 'access-control-expose-headers', 'access-control-max-age']

const preflight = (h: Harness, path: string, origin: string, method = 'POST') =>
  fetch(`${h.url}${path}`, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': method, 'access-control-request-headers': 'authorization, content-type, idempotency-key' },
  })

const corsHeadersOf = (response: Response) => CORS_HEADERS.filter((name) => response.headers.has(name))

describe('OPTIONS without CORS', () => {
  let h: Harness
  before(async () => {
    h = await startHarness()
  })
  after(() => h.close())

  it('answers an envelope listing the methods of the route, with Allow', async () => {
    const response = await fetch(`${h.url}/groups`, { method: 'OPTIONS', headers: { authorization: API_KEY } })
    assert.equal(response.status, 200)
    assert.match(response.headers.get('content-type') ?? '', /^application\/json/)
    assert.equal(response.headers.get('allow'), 'HEAD, GET, POST')
    assert.deepEqual(await response.json(), { status: true, code: 200, message: 'OK', data: { methods: ['HEAD', 'GET', 'POST'] } })
  })

  it('answers 404 in an envelope for an unknown route', async () => {
    const response = await fetch(`${h.url}/nope`, { method: 'OPTIONS', headers: { authorization: API_KEY } })
    assert.equal(response.status, 404)
    assert.deepEqual(await response.json(), { status: false, code: 404, message: 'Not found', error: 'No route for OPTIONS /nope' })
  })

  it('adds no CORS headers, even to a preflight (CORS is off by default)', async () => {
    const response = await preflight(h, '/groups', APP)
    assert.deepEqual(corsHeadersOf(response), [])
    assert.equal(response.status, 401)
    assert.equal(((await response.json()) as { code: number }).code, 401)
  })
})

describe('CORS for configured origins', () => {
  let h: Harness
  before(async () => {
    h = await startHarness({ config: { http: { cors: { origins: [APP, 'http://localhost:5173'] } } } })
  })
  after(() => h.close())

  it('answers a preflight from an allowed origin with 204 and what it may send', async () => {
    const response = await preflight(h, '/groups', APP)
    assert.equal(response.status, 204)
    assert.equal(response.headers.get('access-control-allow-origin'), APP)
    assert.equal(response.headers.get('access-control-allow-methods'), 'GET, POST, PUT, PATCH, DELETE')
    const allowed = (response.headers.get('access-control-allow-headers') ?? '').toLowerCase().split(/,\s*/)
    for (const header of ['authorization', 'content-type', 'idempotency-key', 'last-event-id']) assert.ok(allowed.includes(header), header)
    assert.equal(response.headers.get('access-control-max-age'), '600')
    assert.match(response.headers.get('vary') ?? '', /origin/i)
    assert.equal(await response.text(), '')
  })

  it('adds the headers to responses for an allowed origin, errors included, and exposes the useful ones', async () => {
    const ok = await fetch(`${h.url}/session`, { headers: { origin: 'http://localhost:5173', authorization: API_KEY } })
    assert.equal(ok.status, 200)
    assert.equal(ok.headers.get('access-control-allow-origin'), 'http://localhost:5173')
    const exposed = (ok.headers.get('access-control-expose-headers') ?? '').toLowerCase().split(/,\s*/)
    for (const header of ['x-request-id', 'retry-after', 'idempotent-replayed']) assert.ok(exposed.includes(header), header)
    const refused = await fetch(`${h.url}/session`, { headers: { origin: APP } })
    assert.equal(refused.status, 401)
    assert.equal(refused.headers.get('access-control-allow-origin'), APP)
  })

  it('adds no CORS headers for another origin, and its preflight gets an envelope', async () => {
    const response = await preflight(h, '/groups', 'https://evil.example.net')
    assert.deepEqual(corsHeadersOf(response), [])
    assert.equal(response.status, 401)
    assert.equal(((await response.json()) as { status: boolean }).status, false)
    const plain = await fetch(`${h.url}/session`, { headers: { origin: 'https://evil.example.net', authorization: API_KEY } })
    assert.equal(plain.status, 200)
    assert.deepEqual(corsHeadersOf(plain), [])
  })
})

describe('CORS for any origin', () => {
  it("answers '*' to every origin", async () => {
    const h = await startHarness({ config: { http: { cors: { origins: ['*'] } } } })
    try {
      const response = await preflight(h, '/groups/120363000000000001@g.us/description', 'https://anywhere.example.org', 'PUT')
      assert.equal(response.status, 204)
      assert.equal(response.headers.get('access-control-allow-origin'), '*')
      const ok = await fetch(`${h.url}/session`, { headers: { origin: 'https://anywhere.example.org', authorization: API_KEY } })
      assert.equal(ok.headers.get('access-control-allow-origin'), '*')
    } finally {
      await h.close()
    }
  })
})
