// The outbox as the webhooks use it: an event and the deliveries it owes are
// stored together; what was delivered or refused for good stops being owed;
// a retry waits; a replay owes again what was delivered; pruning the log
// strands no pending delivery.
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, it } from 'node:test'
import type { DeliveryAttempt, NewEvent } from '../../core/storage/outbox.js'
import { Storage } from '../../core/storage/storage.js'

let dir: string
let storage: Storage
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'waplug-outbox-'))
  storage = new Storage(dir)
})
afterEach(async () => {
  await storage.close()
  rmSync(dir, { recursive: true, force: true })
})

const event = (n: number, at = new Date().toISOString()): NewEvent => ({ id: `evt_${n}`, type: 'message.received', session: 'default', timestamp: at, orderKey: 'default/chat', data: { n } })
const attempt = (seq: number, outcome: DeliveryAttempt['outcome']): DeliveryAttempt => ({
  event_id: `evt_${seq}`,
  event_type: 'message.received',
  seq,
  attempt: 1,
  at: new Date().toISOString(),
  status: outcome === 'delivered' ? 204 : 500,
  error: outcome === 'delivered' ? null : 'answered 500',
  outcome,
  duration_ms: 3,
})

it('stores an event with a pending delivery per subscriber, and keeps both across a reopen', async () => {
  const outbox = storage.outbox()
  const first = await outbox.append(event(1), ['wh_a', 'wh_b'])
  const second = await outbox.append(event(2), ['wh_a'])
  assert.deepEqual([first.seq, second.seq], [1, 2])
  await storage.close()

  const again = new Storage(dir)
  try {
    const reopened = again.outbox()
    assert.deepEqual(reopened.pending('wh_a').map((d) => d.event.id), ['evt_1', 'evt_2'])
    assert.deepEqual(reopened.pending('wh_b').map((d) => d.event.id), ['evt_1'])
    assert.equal(reopened.pendingCount('wh_a'), 2)
    assert.deepEqual(reopened.eventsAfter(0, 10).map((e) => e.seq), [1, 2])
    assert.equal((await reopened.append(event(3), [])).seq, 3, 'numbering goes on after the last stored event')
  } finally {
    await again.close()
  }
})

it('a delivered event stops being owed, a retried one waits until its time, a replay owes it again', async () => {
  const outbox = storage.outbox()
  await outbox.append(event(1), ['wh_a'])
  await outbox.append(event(2), ['wh_a'])
  const [one, two] = outbox.pending('wh_a')
  await outbox.record(one!, attempt(1, 'delivered'))
  await outbox.record(two!, attempt(2, 'retrying'), Date.now() + 60_000)
  const [waiting] = outbox.pending('wh_a')
  assert.equal(waiting?.event.id, 'evt_2')
  assert.ok((waiting?.nextAt ?? 0) > Date.now())
  assert.equal(waiting?.attempts, 1)
  assert.deepEqual(outbox.attempts('wh_a', 10).map((a) => a.outcome).sort(), ['delivered', 'retrying'])

  assert.equal(await outbox.requeue('wh_a', outbox.eventsAfter(0, 10)), 1, 'only the delivered one is owed again')
  assert.deepEqual(outbox.pending('wh_a').map((d) => d.event.id), ['evt_1', 'evt_2'])
})

it('pruning drops old events and attempts but no pending delivery; forgetting a subscription drops its own', async () => {
  const outbox = storage.outbox()
  const old = new Date(Date.now() - 10 * 3600_000).toISOString()
  await outbox.append(event(1, old), ['wh_a'])
  await outbox.append(event(2), ['wh_b'])
  await outbox.prune(Date.now() - 3600_000)
  assert.deepEqual(outbox.eventsAfter(0, 10).map((e) => e.id), ['evt_2'])
  assert.deepEqual(outbox.pending('wh_a').map((d) => d.event.id), ['evt_1'], 'its own copy of the event is still there')
  await outbox.forget('wh_a')
  assert.equal(outbox.pendingCount('wh_a'), 0)
  assert.equal(outbox.pendingCount('wh_b'), 1)
})
