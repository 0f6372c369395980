// Webhooks as a receiver sees them: a real HTTP server on 127.0.0.1, every
// delivery verified with the `standardwebhooks` package, the receiver going
// down, answering errors, asking to slow down, and coming back.
import assert from 'node:assert/strict'
import { after, before, beforeEach, describe, it } from 'node:test'
import type { ConfigInput } from '../../core/config.js'
import { startHarness, type Harness } from '../support/harness.js'
import { WebhookReceiver, type Payload } from '../support/webhook-receiver.js'

const ALICE = '15550002222@s.whatsapp.net'
const BOB = '15550003333@s.whatsapp.net'
const GROUP = '120363000000000777@g.us'

const fastRetries: ConfigInput = {
  webhooks: {
    allow: { loopback: true, private: false, linkLocal: false },
    retry: { firstDelayMs: 50, maxDelayMs: 200, periodHours: 1 },
  },
}

interface Created {
  id: string
  secret: string
  url: string
  events: string[]
  session: string | null
  state: string
}

describe('webhooks', () => {
  let h: Harness
  let receiver: WebhookReceiver
  let hook: Created

  before(async () => {
    h = await startHarness({ config: fastRetries })
  })
  after(() => h.close())
  beforeEach(async () => {
    receiver = new WebhookReceiver()
    await receiver.start()
    const created = await h.request('POST', '/webhooks', { body: { url: receiver.url, events: ['message.*', 'group.*', 'session.*'] } })
    assert.equal(created.status, 201, JSON.stringify(created.envelope))
    hook = (created.envelope as { data: Created }).data
  })

  it('delivers messages, group changes and session states, signed so that standardwebhooks verifies them; the secret is shown once', async () => {
    assert.match(hook.secret, /^whsec_/)
    const listed = await h.request('GET', `/webhooks/${hook.id}`)
    assert.ok(!JSON.stringify(listed.envelope).includes(hook.secret), 'never shown again')

    await h.say('hello there', { sender: ALICE, chat: ALICE, pushName: 'Alice' })
    h.whatsapp.emitGroupEvent({ type: 'participants', group: GROUP, change: 'joined', participants: [{ jid: BOB, lid: '99@lid' }] })
    h.whatsapp.setState('connecting')
    h.whatsapp.setState('open')
    h.whatsapp.emitStatus({ id: '3EB0STATUS', chat: ALICE, status: 'read', timestamp: 1700000000 })
    await receiver.until((r) => r.length >= 5, 'five events')

    const payloads = receiver.delivered(hook.secret)
    const message = payloads.find((p) => p.type === 'message.received')
    assert.equal(message?.session, 'default')
    assert.equal(message?.data.text, 'hello there')
    assert.equal(message?.data.sender, ALICE)
    assert.equal(message?.data.push_name, 'Alice')
    assert.equal(message?.data.raw, undefined, 'no raw Baileys object')
    const joined = payloads.find((p) => p.type === 'group.participants')
    assert.deepEqual(joined?.data, { group: GROUP, change: 'joined', participants: [{ jid: BOB, lid: '99@lid' }] })
    assert.deepEqual(payloads.filter((p) => p.type === 'session.state').map((p) => p.data.state), ['connecting', 'open'])
    assert.deepEqual(payloads.find((p) => p.type === 'message.status')?.data, { id: '3EB0STATUS', chat: ALICE, status: 'read', timestamp: 1700000000 })
    assert.equal(message?.data.kind, 'text')
    for (const request of receiver.received) {
      assert.equal(request.headers['webhook-id'], (JSON.parse(request.body) as Payload).id)
      assert.ok(!request.body.includes('test-key-0123456789abcdef'), 'no credential of ours in a payload')
    }
    await h.request('DELETE', `/webhooks/${hook.id}`)
    await receiver.stop()
  })

  it('a receiver that is down, then answers 500, then is back gets everything, in order per chat, each event under one webhook-id', async () => {
    await receiver.stop()
    for (const text of ['a1', 'a2', 'a3']) await h.say(text, { sender: ALICE, chat: ALICE })
    for (const text of ['b1', 'b2']) await h.say(text, { sender: BOB, chat: BOB })
    await new Promise((resolve) => setTimeout(resolve, 300))
    receiver.script.push({ status: 500 }, { status: 500 }, { status: 502 })
    await receiver.restart()
    await receiver.until(() => texts(receiver.delivered(hook.secret)).length >= 5, 'all five messages')

    const payloads = receiver.delivered(hook.secret)
    const fromAlice = payloads.filter((p) => p.data.chat === ALICE).map((p) => p.data.text)
    const fromBob = payloads.filter((p) => p.data.chat === BOB).map((p) => p.data.text)
    assert.deepEqual(fromAlice, ['a1', 'a2', 'a3'], 'order kept within a chat')
    assert.deepEqual(fromBob, ['b1', 'b2'])
    // Every retry of an event carried the same id.
    const idsByText = new Map<string, Set<string>>()
    for (const request of receiver.received) {
      const { id, data } = JSON.parse(request.body) as Payload
      const ids = idsByText.get(String(data.text)) ?? new Set<string>()
      ids.add(id)
      idsByText.set(String(data.text), ids)
    }
    for (const [text, ids] of idsByText) assert.equal(ids.size, 1, `${text} went out under one id`)

    type Deliveries = { data: { attempts: { outcome: string; status: number | null }[]; pending: number } }
    let deliveries = (await h.request('GET', `/webhooks/${hook.id}/deliveries`)).envelope as Deliveries
    // The last answer is recorded a moment after the receiver sent it.
    for (let i = 0; i < 50 && deliveries.data.pending > 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20))
      deliveries = (await h.request('GET', `/webhooks/${hook.id}/deliveries`)).envelope as Deliveries
    }
    assert.equal(deliveries.data.pending, 0)
    assert.ok(deliveries.data.attempts.some((a) => a.outcome === 'retrying' && a.status === 500))
    assert.ok(deliveries.data.attempts.some((a) => a.outcome === 'retrying' && a.status === null), 'the outage is in the attempts')
    await h.request('DELETE', `/webhooks/${hook.id}`)
    await receiver.stop()
  })

  it('waits as long as Retry-After asks on a 429, and does not retry a 400', async () => {
    receiver.script.push({ status: 429, headers: { 'retry-after': '1' } })
    await h.say('slow down', { sender: ALICE, chat: ALICE })
    await receiver.until((r) => r.filter((x) => x.body.includes('slow down')).length >= 2, 'the retry after the 429')
    const [first, second] = receiver.received.filter((x) => x.body.includes('slow down'))
    assert.ok((second?.at ?? 0) - (first?.at ?? 0) >= 950, `waited ${(second?.at ?? 0) - (first?.at ?? 0)} ms`)

    receiver.script.push({ status: 400 })
    await h.say('refused', { sender: ALICE, chat: ALICE })
    await h.say('after it', { sender: ALICE, chat: ALICE })
    await receiver.until((r) => r.some((x) => x.body.includes('after it') && x.status === 204), 'the next message')
    assert.equal(receiver.received.filter((x) => x.body.includes('"refused"')).length, 1, 'a 400 is not retried')
    const attempts = ((await h.request('GET', `/webhooks/${hook.id}/deliveries`)).envelope as { data: { attempts: { outcome: string; status: number }[] } }).data.attempts
    assert.ok(attempts.some((a) => a.outcome === 'failed' && a.status === 400))
    await h.request('DELETE', `/webhooks/${hook.id}`)
    await receiver.stop()
  })

  it('replays from an event, under the same webhook-ids', async () => {
    for (const text of ['r1', 'r2', 'r3']) await h.say(text, { sender: ALICE, chat: ALICE })
    await receiver.until(() => texts(receiver.delivered(hook.secret)).filter((t) => String(t).startsWith('r')).length >= 3, 'three messages')
    const r2 = receiver.delivered(hook.secret).find((p) => p.data.text === 'r2')
    const replay = await h.request('POST', `/webhooks/${hook.id}/replay`, { body: { from_event_id: r2?.id } })
    assert.equal(replay.status, 200)
    assert.equal((replay.envelope as { data: { queued: number } }).data.queued, 2)
    await receiver.until((r) => r.filter((x) => x.body.includes('"r3"')).length >= 2, 'r3 again')
    const again = receiver.delivered(hook.secret).filter((p) => p.data.text === 'r2')
    assert.equal(again.length, 2)
    assert.equal(again[0]?.id, again[1]?.id)
    assert.equal((await h.request('POST', `/webhooks/${hook.id}/replay`, { body: {} })).status, 400)
    await h.request('DELETE', `/webhooks/${hook.id}`)
    await receiver.stop()
  })

  it('a message told twice (WhatsApp delivering it again) goes out twice under one webhook-id; the same id in another chat is another event', async () => {
    await h.say('told twice', { id: '3EB0TWICE', sender: ALICE, chat: ALICE })
    await h.say('told twice', { id: '3EB0TWICE', sender: ALICE, chat: ALICE })
    await h.say('elsewhere', { id: '3EB0TWICE', sender: BOB, chat: BOB })
    await receiver.until(() => receiver.delivered(hook.secret).filter((p) => p.data.id === '3EB0TWICE').length >= 3, 'all three')
    const copies = receiver.delivered(hook.secret).filter((p) => p.data.id === '3EB0TWICE')
    const ids = (chat: string) => new Set(copies.filter((p) => p.data.chat === chat).map((p) => p.id))
    assert.equal(ids(ALICE).size, 1)
    assert.equal(ids(BOB).size, 1)
    assert.notDeepEqual([...ids(ALICE)], [...ids(BOB)])
    await h.request('DELETE', `/webhooks/${hook.id}`)
    await receiver.stop()
  })

  it('refuses a URL that is not one, and events that do not exist, saying what to give', async () => {
    const bad = await h.request('POST', '/webhooks', { body: { url: 'ftp://example.com/x', events: ['message.*'] } })
    assert.equal(bad.status, 400)
    assert.match((bad.envelope as { error: string }).error, /must be http or https/)
    const none = await h.request('POST', '/webhooks', { body: { url: receiver.url, events: ['messages.recieved'] } })
    assert.equal(none.status, 400)
    assert.match((none.envelope as { error: string }).error, /matches no event; use one of message.received/)
    await h.request('DELETE', `/webhooks/${hook.id}`)
    await receiver.stop()
  })
})

describe('webhooks that keep failing', () => {
  it('pause the subscription, keep its events, and deliver them all once resumed', async () => {
    const h = await startHarness({ config: { webhooks: { allow: { loopback: true, private: false, linkLocal: false }, retry: { firstDelayMs: 50, maxDelayMs: 100, periodHours: 0.0002 } } } })
    const receiver = new WebhookReceiver()
    await receiver.start()
    receiver.fallback = { status: 500 }
    try {
      const hook = ((await h.request('POST', '/webhooks', { body: { url: receiver.url, events: ['message.received'] } })).envelope as { data: Created }).data
      await h.say('one', { sender: ALICE, chat: ALICE })
      await h.say('two', { sender: BOB, chat: BOB })
      const paused = async () => ((await h.request('GET', `/webhooks/${hook.id}`)).envelope as { data: Created & { paused_reason: string; pending: number } }).data
      const deadline = Date.now() + 10_000
      while ((await paused()).state !== 'paused' && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50))
      const view = await paused()
      assert.equal(view.state, 'paused')
      assert.match(view.paused_reason, /POST \/webhooks\/wh_\w+\/resume/)
      assert.equal(view.pending, 2, 'both events wait')

      receiver.fallback = { status: 204 }
      assert.equal((await h.request('POST', `/webhooks/${hook.id}/resume`)).status, 200)
      await receiver.until(() => ['one', 'two'].every((text) => texts(receiver.delivered(hook.secret)).includes(text)), 'both waiting events after resuming')
    } finally {
      await receiver.stop()
      await h.close()
    }
  })
})

describe('webhook addresses', () => {
  it('refuses loopback, private and link-local addresses unless the configuration allows them', async () => {
    const h = await startHarness()
    try {
      for (const [url, key] of [
        ['http://127.0.0.1:9/hooks', 'webhooks.allow.loopback'],
        ['http://localhost:9/hooks', 'webhooks.allow.loopback'],
        ['http://10.1.2.3/hooks', 'webhooks.allow.private'],
        ['http://169.254.169.254/latest/meta-data', 'webhooks.allow.linkLocal'],
        ['http://[::1]:9/hooks', 'webhooks.allow.loopback'],
      ] as const) {
        const refused = await h.request('POST', '/webhooks', { body: { url, events: ['*'] } })
        assert.equal(refused.status, 400, url)
        assert.match((refused.envelope as { error: string }).error, new RegExp(`set ${key.replace(/\./g, '\\.')} to true`), url)
      }
    } finally {
      await h.close()
    }
  })
})

function texts(payloads: Payload[]): unknown[] {
  return payloads.filter((p) => p.type === 'message.received').map((p) => p.data.text)
}
