import assert from 'node:assert/strict'
import { after, before, beforeEach, describe, it } from 'node:test'
import { unrefTimersOf } from '../support/cut-off-timers.js'
import { API_KEY } from '../support/emulated-runtime.js'
import { ALICE, BOB, jidOf, PRIVATE, startGroupWorld, type GroupWorld } from '../support/group-world.js'

type Data = Record<string, unknown>
const dataOf = (envelope: unknown): Data => (envelope as { data: Data }).data
const CREATE = { xmlns: 'w:g2', child: 'create' }

describe('changes whose answer never comes: the runtime looks whether they happened', () => {
  let w: GroupWorld
  before(async () => {
    w = await startGroupWorld({ config: { whatsapp: { queryTimeoutMs: 1500 } } })
  })
  after(() => w.close())
  // Some faults below cost the connection; each test starts on an open one.
  beforeEach(() => w.waitForState('open'))

  const named = (name: string) => w.emulator.groups().filter((g) => g.subject === name)

  it('a create whose answer is lost answers 200 with the group WhatsApp made, found by its notification', async () => {
    w.emulator.faults.loseIqAnswer(CREATE)
    w.iqs.length = 0
    try {
      const { status, envelope } = await w.request('POST', '/groups', { name: 'Answer lost', participants: [ALICE, PRIVATE] })
      assert.equal(status, 200, JSON.stringify(envelope))
      const since = w.iqs.slice(w.iqs.indexOf('create'))
      assert.ok(!since.includes('participating'), `the notification told it, without asking for every group: ${since.join(', ')}`)
      const [made] = named('Answer lost')
      assert.equal(named('Answer lost').length, 1)
      const data = dataOf(envelope)
      assert.equal(data.jid, made?.jid)
      assert.equal(data.participant_count, 2)
      assert.deepEqual(data.failed_participants, [
        { jid: jidOf(PRIVATE), status: 504, reason: "not done as far as the group shows; WhatsApp's answer never came, so why is unknown" },
      ])
    } finally {
      w.emulator.faults.clear()
    }
  })

  it('a create after which the connection drops answers 200 with the group, found after reconnecting; never a 500', async () => {
    w.emulator.faults.closeAfterIq(CREATE, 'drop')
    try {
      const { status, envelope } = await w.request('POST', '/groups', { name: 'Dropped after', participants: [ALICE] })
      assert.equal(status, 200, JSON.stringify(envelope))
      assert.equal(dataOf(envelope).jid, named('Dropped after')[0]?.jid)
      assert.equal(named('Dropped after').length, 1)
    } finally {
      w.emulator.faults.clear()
    }
  })

  it('two creates of the same name, both unanswered, each get a group of their own', async () => {
    w.emulator.faults.loseIqAnswer(CREATE)
    try {
      const answers = await Promise.all([w.request('POST', '/groups', { name: 'Twins' }), w.request('POST', '/groups', { name: 'Twins' })])
      assert.deepEqual(answers.map((a) => a.status), [200, 200])
      const jids = answers.map((a) => dataOf(a.envelope).jid)
      assert.deepEqual([...jids].sort(), named('Twins').map((g) => g.jid).sort())
    } finally {
      w.emulator.faults.clear()
    }
  })

  it('an add after which the connection drops reports who the group shows added', async () => {
    const jid = await w.botGroup('Add then drop', [ALICE])
    w.emulator.faults.closeAfterIq({ xmlns: 'w:g2', child: 'add' }, 'drop')
    try {
      const { status, envelope } = await w.request('POST', `/groups/${jid}/participants/add`, { participants: [BOB, ALICE] })
      assert.equal(status, 200, JSON.stringify(envelope))
      assert.equal(envelope.message, 'Added 1 of 2 participants')
      assert.deepEqual((dataOf(envelope).participants as Data[]).map((r) => [r.jid, r.status, r.reason]), [
        [jidOf(BOB), 200, 'added'],
        [jidOf(ALICE), 409, 'already in the group'],
      ])
    } finally {
      w.emulator.faults.clear()
    }
  })

  it('a rename whose answer is lost answers 200 once the group shows the new name', async () => {
    const jid = await w.botGroup('Before the rename', [ALICE])
    w.emulator.faults.loseIqAnswer({ xmlns: 'w:g2', child: 'subject' })
    try {
      const { status, envelope } = await w.request('PUT', `/groups/${jid}/subject`, { subject: 'After the rename' })
      assert.deepEqual([status, envelope], [200, { status: true, code: 200, message: 'Group name changed', data: { jid, name: 'After the rename' } }])
    } finally {
      w.emulator.faults.clear()
    }
  })

  it('a change that never reached WhatsApp, and does not show, answers 504 saying it may have happened and where to look', async () => {
    const jid = await w.botGroup('Never renamed', [ALICE])
    w.emulator.faults.swallowIq({ xmlns: 'w:g2', child: 'subject' })
    try {
      const { status, envelope } = await w.request('PUT', `/groups/${jid}/subject`, { subject: 'Lost rename' })
      assert.equal(status, 504)
      assert.equal(
        envelope.status ? '' : envelope.error,
        `WhatsApp's answer never came, so it is not known whether the change was made; it may have been. Check with GET /groups/${jid}?refresh=true before trying again`,
      )
    } finally {
      w.emulator.faults.clear()
    }
  })
})

// Far longer than any deadline below: an answer before it cannot be the query timing out.
const QUERY_TIMEOUT_MS = 61_000
unrefTimersOf(QUERY_TIMEOUT_MS)

describe('calls waiting on a connection that closes', () => {
  let w: GroupWorld
  const DEADLINE_MS = 10_000
  before(async () => {
    w = await startGroupWorld({ config: { whatsapp: { queryTimeoutMs: QUERY_TIMEOUT_MS }, actions: { timeoutMs: 2 * QUERY_TIMEOUT_MS } } })
  })
  after(() => w.close())
  beforeEach(() => w.waitForState('open'))

  const post = (path: string, body?: unknown) =>
    fetch(`${w.runtime.url}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { authorization: API_KEY, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(DEADLINE_MS),
    }).then(async (response) => ({ status: response.status, envelope: (await response.json()) as { error?: string; data?: { jid: string } } }))

  it('a 515 restart in the middle of POST /groups is answered at once, with the group it made', async () => {
    w.emulator.faults.closeAfterIq(CREATE, 515)
    try {
      const { status, envelope } = await post('/groups', { name: 'Restarted midway', participants: [ALICE] })
      assert.equal(status, 200, JSON.stringify(envelope))
      assert.equal(envelope.data?.jid, w.emulator.groups().find((g) => g.subject === 'Restarted midway')?.jid)
    } finally {
      w.emulator.faults.clear()
    }
  })

  it('a read waiting when the connection restarts fails at once with 503 and what to do', async () => {
    w.emulator.faults.delayIq({ xmlns: 'w:g2', child: 'participating' }, QUERY_TIMEOUT_MS)
    try {
      const pending = post('/groups?refresh=true')
      await new Promise((resolve) => setTimeout(resolve, 200))
      w.emulator.faults.streamError(515)
      const { status, envelope } = await pending
      assert.equal(status, 503)
      assert.equal(envelope.error, 'The connection to WhatsApp closed before it answered; it reconnects by itself, so try again in a few seconds')
    } finally {
      w.emulator.faults.clear()
    }
  })
})
