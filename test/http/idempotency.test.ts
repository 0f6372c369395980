import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { SignJWT } from 'jose'
import { pair, startEmulatedRuntime, type EmulatedRuntime } from '../support/emulated-runtime.js'

const OTHER_KEY = 'another-callers-key-0123456789'
const SECRET = 'a-jwt-secret-that-is-long-enough-0123'

const jwtFor = (subject: string) =>
  new SignJWT({})
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(subject)
    .setIssuedAt()
    .setJti(crypto.randomUUID())
    .setExpirationTime('5m')
    .sign(new TextEncoder().encode(SECRET))

type Data = { jid: string; name: string }
const dataOf = (envelope: unknown): Data => (envelope as { data: Data }).data
const errorOf = (envelope: unknown): string => (envelope as { error?: string }).error ?? ''

describe('Idempotency-Key on the HTTP API, with the real client on the emulator', () => {
  let e: EmulatedRuntime
  before(async () => {
    e = await startEmulatedRuntime({ config: { http: { apiKeys: [OTHER_KEY], jwtSecret: SECRET } } })
    await pair(e)
  })
  after(() => e.close())

  const groupsNamed = (name: string) => e.emulator.groups().filter((g) => g.subject === name).length
  const create = (name: string, key: string, headers: Record<string, string> = {}) =>
    e.request('POST', '/groups', { name }, { 'idempotency-key': key, ...headers })

  it('answers a retry with the first answer, marked as replayed, and creates nothing new', async () => {
    const first = await create('Once only', 'retry-1')
    assert.equal(first.status, 200)
    assert.equal(first.headers.get('idempotent-replayed'), null)
    const again = await create('Once only', 'retry-1')
    assert.equal(again.status, 200)
    assert.deepEqual(again.envelope, first.envelope)
    assert.equal(again.headers.get('idempotent-replayed'), 'true')
    assert.equal(groupsNamed('Once only'), 1)
  })

  it('refuses the same key with another body or on another route with 422, and does nothing', async () => {
    const first = await create('Keyed', 'reused-1')
    const jid = dataOf(first.envelope).jid
    const otherBody = await create('Not the same', 'reused-1')
    assert.equal(otherBody.status, 422)
    assert.equal(
      errorOf(otherBody.envelope),
      'This Idempotency-Key was already used for POST /groups with another body; send the same body again to get its answer, or use a new key for a new request',
    )
    const otherRoute = await e.request('PUT', `/groups/${jid}/subject`, { subject: 'Renamed' }, { 'idempotency-key': 'reused-1' })
    assert.equal(otherRoute.status, 422)
    assert.equal(errorOf(otherRoute.envelope), `This Idempotency-Key was already used for POST /groups; use a new key for PUT /groups/${jid}/subject`)
    assert.equal(groupsNamed('Not the same'), 0)
    assert.equal(e.emulator.group(jid)?.subject, 'Keyed')
  })

  it('runs one of two requests sent at once with the same key; the other is told to retry, or gets its answer', async () => {
    e.emulator.faults.delayIq({ xmlns: 'w:g2', child: 'create' }, 300)
    try {
      const answers = await Promise.all([create('Raced', 'race-1'), create('Raced', 'race-1')])
      const statuses = answers.map((a) => a.status).sort()
      assert.ok(statuses[0] === 200 && (statuses[1] === 409 || statuses[1] === 200), `statuses ${statuses.join(', ')}`)
      const refused = answers.find((a) => a.status === 409)
      if (refused) {
        assert.equal(errorOf(refused.envelope), 'A request with this Idempotency-Key is still being processed; retry in a moment to get its answer')
        assert.equal(refused.headers.get('retry-after'), '1')
      }
    } finally {
      e.emulator.faults.clear()
    }
    assert.equal(groupsNamed('Raced'), 1)
    const later = await create('Raced', 'race-1')
    assert.equal(later.headers.get('idempotent-replayed'), 'true')
    assert.equal(groupsNamed('Raced'), 1)
  })

  it('keeps callers apart: another API key, or another JWT subject, with the same key runs on its own', async () => {
    await create('Mine', 'shared-1')
    const theirs = await create('Theirs', 'shared-1', { authorization: OTHER_KEY })
    assert.equal(theirs.status, 200, 'not a 422: their key is not mine')
    assert.equal(theirs.headers.get('idempotent-replayed'), null)
    const alice = await create('By subject', 'shared-2', { authorization: `Bearer ${await jwtFor('alice@example.com')}` })
    const aliceAgain = await create('By subject', 'shared-2', { authorization: `Bearer ${await jwtFor('alice@example.com')}` })
    assert.equal(aliceAgain.headers.get('idempotent-replayed'), 'true', 'a new token for the same subject is the same caller')
    assert.deepEqual(aliceAgain.envelope, alice.envelope)
    const bob = await create('By subject', 'shared-2', { authorization: `Bearer ${await jwtFor('bob@example.com')}` })
    assert.equal(bob.headers.get('idempotent-replayed'), null)
    assert.deepEqual([groupsNamed('Mine'), groupsNamed('Theirs'), groupsNamed('By subject')], [1, 1, 2])
  })

  it('keeps no answer that says nothing was done, so the same key may be sent again after fixing the request', async () => {
    const invalid = await e.request('POST', '/groups', { name: '' }, { 'idempotency-key': 'fixed-1' })
    assert.equal(invalid.status, 400)
    const fixed = await create('Fixed', 'fixed-1')
    assert.equal(fixed.status, 200)
    assert.equal(fixed.headers.get('idempotent-replayed'), null)
    const retried = await create('Fixed', 'fixed-1')
    assert.equal(retried.headers.get('idempotent-replayed'), 'true', 'the key now holds the answer that did something')
    assert.equal(groupsNamed('Fixed'), 1)
  })

  it('answers 400 for a key that is empty or longer than 255 characters, and does nothing', async () => {
    const empty = await create('Bad key', '')
    assert.equal(empty.status, 400)
    assert.equal(errorOf(empty.envelope), 'The Idempotency-Key header is empty; send a value of 1 to 255 characters that is new for each request, such as a UUID')
    const long = await create('Bad key', 'k'.repeat(256))
    assert.equal(long.status, 400)
    assert.equal(errorOf(long.envelope), 'The Idempotency-Key header is 256 characters long; it may be at most 255')
    assert.equal(groupsNamed('Bad key'), 0)
  })

  it('takes the key as a structured-field string, as the IETF draft writes it', async () => {
    const quoted = await create('Quoted', '"8e03978e-40d5-43e8-bc93-6894a57f9324"')
    const bare = await create('Quoted', '8e03978e-40d5-43e8-bc93-6894a57f9324')
    assert.equal(bare.headers.get('idempotent-replayed'), 'true')
    assert.deepEqual(bare.envelope, quoted.envelope)
  })

  it('still has the answer after the runtime restarts on the same data dir', async () => {
    const first = await create('Survives restarts', 'restart-1')
    assert.equal(first.status, 200)
    await e.restart()
    await e.waitForState('open')
    const again = await create('Survives restarts', 'restart-1')
    assert.equal(again.headers.get('idempotent-replayed'), 'true')
    assert.deepEqual(again.envelope, first.envelope)
    assert.equal(groupsNamed('Survives restarts'), 1)
  })
})
