// The event stream as a client sees it: GET /events read with fetch as a
// stream of Server-Sent Events, parsed field by field. Live events arrive; a
// client that reconnects with Last-Event-ID gets exactly what it missed, in
// order, then the live ones; ?types= filters; a session key reads its
// session's stream only.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { startHarness, type Harness } from '../support/harness.js'
import { SseClient, type SseEvent } from '../support/sse-client.js'

const ALICE = '15550002222@s.whatsapp.net'
const GROUP = '120363000000000888@g.us'

describe('the event stream (GET /events)', () => {
  let h: Harness
  const open = (route: string, headers: Record<string, string> = {}, key?: string) => SseClient.open(`${h.url}${route}`, { authorization: key ?? 'test-key-0123456789abcdef', ...headers })
  const texts = (events: SseEvent[]) => events.map((e) => e.data.data.text)

  before(async () => {
    h = await startHarness()
    assert.equal((await h.request('POST', '/sessions', { body: { id: 'sales' } })).status, 201)
    await h.runtime.idle()
  })
  after(() => h.close())

  it('sends live events; after a disconnect, Last-Event-ID gives exactly the missed ones, in order, then the live ones', async () => {
    const first = await open('/events')
    assert.equal(first.status, 200)
    assert.match(first.contentType, /^text\/event-stream/)
    await h.say('m1', { sender: ALICE, chat: ALICE })
    await h.say('m2', { sender: ALICE, chat: ALICE })
    const live = await first.atLeast(2, 'two live messages')
    assert.deepEqual(texts(live), ['m1', 'm2'])
    for (const event of live) {
      assert.equal(event.event, 'message.received')
      assert.equal(event.event, event.data.type)
      assert.match(event.id, /^\d+$/)
      assert.match(event.data.id, /^evt_/)
      assert.equal(event.data.session, 'default')
    }
    assert.equal(Number(live[1]!.id), Number(live[0]!.id) + 1)
    const lastSeen = live.at(-1)!.id
    await first.close()

    // Missed while away: messages, a group change, a status.
    await h.say('m3', { sender: ALICE, chat: ALICE })
    h.whatsapp.emitGroupEvent({ type: 'participants', group: GROUP, change: 'joined', participants: [{ jid: ALICE, lid: '77@lid' }] })
    h.whatsapp.emitStatus({ id: '3EB0MISSED', chat: ALICE, status: 'delivered', timestamp: 1700000000 })
    await h.say('m4', { sender: ALICE, chat: ALICE })
    await h.runtime.idle()

    const again = await open('/events', { 'last-event-id': lastSeen })
    const missed = await again.atLeast(4, 'the four missed events')
    assert.deepEqual(
      missed.map((e) => e.event),
      ['message.received', 'group.participants', 'message.status', 'message.received'],
    )
    assert.deepEqual(texts(missed.filter((e) => e.event === 'message.received')), ['m3', 'm4'])
    assert.deepEqual(
      missed.map((e) => Number(e.id)),
      [1, 2, 3, 4].map((n) => Number(lastSeen) + n),
      'the missed ones, each once, with no gap',
    )
    assert.equal((await again.quiet()).length, 4, 'nothing before them again')

    await h.say('m5', { sender: ALICE, chat: ALICE })
    const then = await again.atLeast(5, 'the live one after the missed')
    assert.equal(then[4]!.data.data.text, 'm5')
    assert.equal(Number(then[4]!.id), Number(lastSeen) + 5)
    await again.close()

    // ?after= does what Last-Event-ID does.
    const byQuery = await open(`/events?after=${Number(lastSeen) + 3}`)
    const tail = await byQuery.atLeast(2, 'the last two')
    assert.deepEqual(texts(await byQuery.quiet()), ['m4', 'm5'])
    assert.equal(tail.length, 2)
    await byQuery.close()
  })

  it('?types=group.* sends only group events, live and missed', async () => {
    const before = await open('/events?types=group.*')
    await h.say('not a group event', { sender: ALICE, chat: ALICE })
    h.whatsapp.emitGroupEvent({ type: 'updated', group: GROUP, subject: 'Renamed' })
    h.whatsapp.emitGroupEvent({ type: 'participants', group: GROUP, change: 'left', participants: [{ jid: ALICE, lid: '77@lid' }] })
    const events = await before.atLeast(2, 'two group events')
    assert.deepEqual(
      (await before.quiet()).map((e) => e.event),
      ['group.updated', 'group.participants'],
    )
    const firstId = Number(events[0]!.id)
    await before.close()

    const resumed = await open('/events?types=group.*,session.*', { 'last-event-id': String(firstId - 2) })
    assert.deepEqual(
      (await resumed.atLeast(2, 'the group events again')).map((e) => e.id),
      events.map((e) => e.id),
    )
    assert.equal((await resumed.quiet()).length, 2, 'the message between them is left out')
    await resumed.close()
  })

  it("a session key reads its session's stream, only that session's events, and is refused on /events", async () => {
    const made = await h.request('POST', '/sessions/sales/keys', { body: { label: 'events reader' } })
    assert.equal(made.status, 201)
    const { key } = (made.envelope as { data: { key: string } }).data

    const refused = await open('/events', {}, key)
    assert.equal(refused.status, 403)
    const other = await open('/sessions/default/events', {}, key)
    assert.equal(other.status, 403)

    const stream = await open('/sessions/sales/events', {}, key)
    assert.equal(stream.status, 200)
    await h.say('to default', { sender: ALICE, chat: ALICE })
    await h.say('to sales', { sender: ALICE, chat: ALICE, session: 'sales' })
    await h.say('to sales again', { sender: ALICE, chat: ALICE, session: 'sales' })
    await stream.atLeast(2, "sales' two messages")
    const seen = await stream.quiet()
    assert.deepEqual(texts(seen), ['to sales', 'to sales again'])
    assert.ok(seen.every((e) => e.data.session === 'sales'))
    await stream.close()

    // Resuming there also leaves out the other session's events.
    const resumed = await open('/sessions/sales/events', { 'last-event-id': String(Number(seen[0]!.id) - 2) }, key)
    await resumed.atLeast(2, "sales' messages again")
    assert.deepEqual(texts(await resumed.quiet()), ['to sales', 'to sales again'])
    await resumed.close()
  })
})
