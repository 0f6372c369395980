import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { WhatsAppError } from '../../core/index.js'
import { startHarness, type Harness } from '../support/harness.js'

const SPEC_BODY = { name: 'My Group', participants: ['6281234567890@s.whatsapp.net'] }

describe('POST /groups', () => {
  let h: Harness
  before(async () => {
    h = await startHarness({ config: { actions: { timeoutMs: 300 } } })
  })
  after(() => h.close())

  it('creates the group and answers with the spec data shape', async () => {
    const { status, envelope } = await h.request('POST', '/groups', { body: SPEC_BODY })
    assert.equal(status, 200)
    assert.ok(envelope.status)
    assert.equal(envelope.code, 200)
    assert.equal(envelope.message, 'Group created successfully')
    const data = envelope.data as Record<string, unknown>
    assert.deepEqual(Object.keys(data).sort(), ['created_at', 'description', 'failed_participants', 'jid', 'name', 'owner', 'participant_count', 'participants', 'settings'])
    assert.match(data.jid as string, /^\d+@g\.us$/)
    assert.equal(data.name, 'My Group')
    assert.equal(data.description, '')
    assert.equal(data.owner, h.whatsapp.me?.jid)
    assert.equal(typeof data.created_at, 'number')
    assert.equal(data.participant_count, 2)
    assert.deepEqual(data.participants, [
      { jid: h.whatsapp.me?.jid, is_admin: true, is_super_admin: true },
      { jid: '6281234567890@s.whatsapp.net', is_admin: false, is_super_admin: false },
    ])
    assert.deepEqual(data.failed_participants, [])
  })

  it('normalizes phone numbers and folds duplicates before asking WhatsApp', async () => {
    const participants = ['+62 812-3456-7890', '6281234567890@s.whatsapp.net', '00447700900123', '6281234567890']
    const { status } = await h.request('POST', '/groups', { body: { name: 'Dupes', participants } })
    assert.equal(status, 200)
    assert.deepEqual(h.whatsapp.calls.at(-1)?.args, ['Dupes', ['6281234567890@s.whatsapp.net', '447700900123@s.whatsapp.net']])
  })

  it('lists the participants WhatsApp refused, with a reason, and still answers 200', async () => {
    h.whatsapp.refusals.set('15550002222@s.whatsapp.net', 403)
    h.whatsapp.refusals.set('15550003333@s.whatsapp.net', 404)
    const { status, envelope } = await h.request('POST', '/groups', {
      body: { name: 'Partial', participants: ['15550002222', '15550003333', '15550004444'] },
    })
    assert.equal(status, 200)
    assert.ok(envelope.status)
    const data = envelope.data as { participant_count: number; failed_participants: unknown[] }
    assert.equal(data.participant_count, 2)
    assert.deepEqual(data.failed_participants, [
      { jid: '15550002222@s.whatsapp.net', status: 403, reason: 'their privacy settings only let their contacts add them to groups' },
      { jid: '15550003333@s.whatsapp.net', status: 404, reason: 'not on WhatsApp' },
    ])
  })

  const badRequests: [string, unknown, string][] = [
    ['a missing name', { participants: [] }, 'Group name is required'],
    ['an empty name', { name: '' }, 'Group name is required'],
    ['a blank name', { name: '   ' }, 'Group name is required'],
    ['a name that is not text', { name: 42 }, 'Group name must be a string'],
    ['a name over 100 characters', { name: 'x'.repeat(101) }, 'Group name must be at most 100 characters'],
    ['a participant that is no number', { name: 'G', participants: ['6281234567890', 'abc'] }, "participants[1] is not a phone number or WhatsApp id: 'abc'"],
    ['participants that are not a list', { name: 'G', participants: '6281234567890' }, 'participants must be an array'],
    ['more than 1023 participants', { name: 'G', participants: Array.from({ length: 1024 }, (_, i) => `1555${String(i).padStart(7, '0')}`) }, 'participants may list at most 1023 entries'],
    ['an unknown field', { name: 'G', members: [] }, "Unknown field 'members'; the fields are: name, participants, send_invite"],
    ['a body that is not an object', ['My Group'], 'The input must be a JSON object'],
  ]
  for (const [what, body, error] of badRequests) {
    it(`answers 400 for ${what}`, async () => {
      const { status, envelope } = await h.request('POST', '/groups', { body })
      assert.equal(status, 400)
      assert.deepEqual(envelope, { status: false, code: 400, message: 'Bad request', error })
    })
  }

  it('answers 400 for malformed JSON', async () => {
    const { status, envelope } = await h.request('POST', '/groups', { raw: '{"name": "x"', headers: { 'content-type': 'application/json' } })
    assert.equal(status, 400)
    assert.deepEqual(envelope, { status: false, code: 400, message: 'Bad request', error: 'Invalid JSON body' })
  })

  it('answers 415 for a body that is not JSON', async () => {
    const { status, envelope } = await h.request('POST', '/groups', { raw: 'name=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } })
    assert.equal(status, 415)
    assert.equal(envelope.message, 'Unsupported media type')
    assert.equal(envelope.status ? '' : envelope.error, "Send the body as JSON with the header Content-Type: application/json (got 'application/x-www-form-urlencoded')")
  })

  it('takes JSON under any JSON media type, with parameters, and refuses look-alikes', async () => {
    const body = JSON.stringify({ name: 'Typed', participants: ['6281234567890'] })
    for (const type of ['application/json', 'Application/JSON; charset=utf-8', 'application/vnd.waplug+json', ' application/json ;charset=utf-8']) {
      const { status } = await h.request('POST', '/groups', { raw: body, headers: { 'content-type': type } })
      assert.equal(status, 200, type)
    }
    for (const type of ['text/json', 'application/jsonx', 'application/json-seq', 'application/+json', 'text/plain; a=application/json']) {
      const { status } = await h.request('POST', '/groups', { raw: body, headers: { 'content-type': type } })
      assert.equal(status, 415, type)
    }
  })

  it('answers 413 for a body over the limit', async () => {
    const { status, envelope } = await h.request('POST', '/groups', { body: { name: 'x'.repeat(1024 * 1024 + 10) } })
    assert.equal(status, 413)
    assert.deepEqual(envelope, { status: false, code: 413, message: 'Payload too large', error: 'The request body is larger than the 1mb limit' })
  })

  it('answers 500 "Failed to create group" when WhatsApp fails, without its internals', async () => {
    h.whatsapp.failNext = new WhatsAppError('failed', 'internal-server-error at node 12', 500)
    const { status, envelope } = await h.request('POST', '/groups', { body: SPEC_BODY })
    assert.equal(status, 500)
    assert.deepEqual(envelope, { status: false, code: 500, message: 'Internal server error', error: 'Failed to create group' })
  })

  it('answers 500 without a stack trace when the handler throws something unexpected', async () => {
    h.whatsapp.failNext = new TypeError("Cannot read properties of undefined (reading 'attrs')")
    const { status, envelope } = await h.request('POST', '/groups', { body: SPEC_BODY })
    assert.equal(status, 500)
    assert.deepEqual(envelope, { status: false, code: 500, message: 'Internal server error', error: 'Failed to create group' })
  })

  it('answers 429 with Retry-After when WhatsApp rate-limits', async () => {
    h.whatsapp.failNext = new WhatsAppError('rate-limited', 'rate-overlimit', 429)
    const { status, headers, envelope } = await h.request('POST', '/groups', { body: SPEC_BODY })
    assert.equal(status, 429)
    assert.equal(headers.get('retry-after'), '60')
    assert.equal(envelope.message, 'Too many requests')
  })

  it('answers 504 when WhatsApp does not answer in time', async () => {
    h.whatsapp.failNext = new WhatsAppError('timeout', 'Timed Out', 408)
    const { status, envelope } = await h.request('POST', '/groups', { body: SPEC_BODY })
    assert.equal(status, 504)
    assert.deepEqual(envelope, { status: false, code: 504, message: 'Gateway timeout', error: 'WhatsApp did not answer in time; try again' })
  })

  it('answers 504 when the action runs past its time limit', async () => {
    h.whatsapp.delayMs = 1000
    try {
      const { status, envelope } = await h.request('POST', '/groups', { body: SPEC_BODY })
      assert.equal(status, 504)
      assert.equal(envelope.status ? '' : envelope.error, 'Failed to create group: it did not finish within 300 ms')
    } finally {
      h.whatsapp.delayMs = 0
    }
  })

  it('answers 503 while WhatsApp is not connected', async () => {
    h.whatsapp.setState('connecting')
    try {
      const { status, envelope } = await h.request('POST', '/groups', { body: SPEC_BODY })
      assert.equal(status, 503)
      assert.deepEqual(envelope, { status: false, code: 503, message: 'Service unavailable', error: 'WhatsApp is not connected' })
    } finally {
      h.whatsapp.setState('open')
    }
  })
})

describe('GET /groups/:jid', () => {
  let h: Harness
  before(async () => {
    h = await startHarness()
  })
  after(() => h.close())

  it('returns the group in the spec data shape', async () => {
    const created = await h.request('POST', '/groups', { body: { name: 'Info', participants: ['15550002222'] } })
    const jid = (created.envelope as { data: { jid: string } }).data.jid
    const { status, envelope } = await h.request('GET', `/groups/${jid}`)
    assert.equal(status, 200)
    assert.equal(envelope.message, 'Group info retrieved successfully')
    const data = (envelope as { data: Record<string, unknown> }).data
    assert.deepEqual(Object.keys(data).sort(), ['created_at', 'description', 'jid', 'name', 'owner', 'participant_count', 'participants', 'settings'])
    assert.equal(data.participant_count, 2)
  })

  it('accepts the id without @g.us', async () => {
    const created = await h.request('POST', '/groups', { body: { name: 'Bare' } })
    const jid = (created.envelope as { data: { jid: string } }).data.jid
    const { status } = await h.request('GET', `/groups/${jid.replace('@g.us', '')}`)
    assert.equal(status, 200)
  })

  it('answers 404 "Group not found" for a group WhatsApp does not know', async () => {
    const { status, envelope } = await h.request('GET', '/groups/120363999999999999@g.us')
    assert.equal(status, 404)
    assert.deepEqual(envelope, { status: false, code: 404, message: 'Not found', error: 'Group not found' })
  })

  it('answers 400 for something that is no group id', async () => {
    const { status, envelope } = await h.request('GET', '/groups/hello')
    assert.equal(status, 400)
    assert.equal(envelope.status ? '' : envelope.error, "jid is not a group id (like 120363123456789012@g.us): 'hello'")
  })
})
