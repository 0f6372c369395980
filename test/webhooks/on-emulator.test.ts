// Webhooks with the real Baileys client on the WhatsApp emulator and a real
// receiver verifying every delivery with the `standardwebhooks` package:
// every kind of event arrives, signed, from what contacts do on their phones;
// a subscription made for one session hears only that session.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { installSignal, type SignalLayer } from '../../emulator/signal/index.js'
import { BOT_PHONE, pair, startEmulatedRuntime, type EmulatedRuntime } from '../support/emulated-runtime.js'
import { WebhookReceiver, type Payload } from '../support/webhook-receiver.js'

const ALICE = '15550400002'
const BOB = '15550400003'
const CAROL = '15550400004'
const SALES_PHONE = '15550400010'
const jid = (phone: string) => `${phone}@s.whatsapp.net`
const BOT_JID = jid(BOT_PHONE)

interface Created {
  id: string
  secret: string
  session: string | null
}

describe('webhooks on the WhatsApp emulator', () => {
  let e: EmulatedRuntime
  let signal: SignalLayer
  const receiver = new WebhookReceiver()
  let hook: Created

  /** What the receiver took, each verified with the subscription's secret. */
  const delivered = (secret = hook.secret, from = receiver): Payload[] => from.delivered(secret)
  const arrived = async (check: (payloads: Payload[]) => boolean, what: string, secret = hook.secret, from = receiver): Promise<Payload[]> => {
    await from.until(() => check(delivered(secret, from)), what, 15_000)
    return delivered(secret, from)
  }

  before(async () => {
    e = await startEmulatedRuntime({
      config: {
        sessions: { startConcurrency: 2, settings: {} },
        webhooks: { allow: { loopback: true, private: false, linkLocal: false }, retry: { firstDelayMs: 50, maxDelayMs: 200, periodHours: 1 }, commandEvents: true },
      },
    })
    signal = installSignal(e.emulator.host, { timeoutMs: 15_000, receipts: 'read' })
    for (const [phone, name] of [
      [ALICE, 'Alice'],
      [BOB, 'Bob'],
      [CAROL, 'Carol'],
    ]) e.emulator.addContact({ phone: phone!, name: name! })
    await receiver.start()
    await pair(e)
    const created = await e.request('POST', '/webhooks', { url: receiver.url, events: ['*'] })
    assert.equal(created.status, 201, JSON.stringify(created.envelope))
    hook = (created.envelope as { data: Created }).data
  })
  after(async () => {
    signal.close()
    await e.close()
    await receiver.stop()
  })

  it('message.received for a text and for a location and a reaction, with their WhatsApp ids, signed', async () => {
    const alice = signal.contact(ALICE)
    const text = await alice.say('hello from the emulator')
    const location = await alice.send({ locationMessage: { degreesLatitude: 52.52, degreesLongitude: 13.405, name: 'Alexanderplatz' } })
    const reaction = await alice.send({ reactionMessage: { key: { remoteJid: BOT_JID, fromMe: true, id: '3EB0SOMEBOTMESSAGE' }, text: '👍', senderTimestampMs: Date.now() } })
    const payloads = await arrived((p) => [text.id, location.id, reaction.id].every((id) => p.some((x) => x.data.id === id)), 'the three messages')

    const byId = (id: string) => payloads.find((p) => p.type === 'message.received' && p.data.id === id)
    assert.equal(byId(text.id)?.data.text, 'hello from the emulator')
    assert.equal(byId(text.id)?.data.kind, 'text')
    assert.equal(byId(text.id)?.data.sender, jid(ALICE))
    assert.match(String(byId(text.id)?.data.chat), /@(lid|s\.whatsapp\.net)$/)
    assert.equal(byId(text.id)?.data.is_group, false)
    assert.equal(byId(text.id)?.session, 'default')
    assert.equal(byId(location.id)?.data.kind, 'location')
    assert.deepEqual(byId(location.id)?.data.location, { latitude: 52.52, longitude: 13.405, name: 'Alexanderplatz' })
    assert.equal(byId(reaction.id)?.data.kind, 'reaction')
    assert.deepEqual(byId(reaction.id)?.data.reaction, { emoji: '👍', message_id: '3EB0SOMEBOTMESSAGE' })
    for (const payload of payloads) assert.equal(payload.data.raw, undefined, 'no raw Baileys object')
  })

  it('a chat command: command.handled, and message.status for the reply as the contact reads it', async () => {
    const { id } = await signal.contact(BOB).say('!ping')
    const [reply] = await signal.repliesTo(id, { count: 1 })
    assert.equal(reply?.text, 'pong')
    const payloads = await arrived(
      (p) => p.some((x) => x.type === 'command.handled' && x.data.by === jid(BOB)) && p.some((x) => x.type === 'message.status' && x.data.id === reply?.id && x.data.status === 'read'),
      'command.handled and the reply read',
    )
    const command = payloads.find((p) => p.type === 'command.handled' && p.data.by === jid(BOB))
    assert.equal(command?.data.transport, 'chat')
    assert.equal(command?.data.code, 200, JSON.stringify(command?.data))
    assert.match(String(command?.data.action), /ping/)
    const asked = payloads.find((p) => p.type === 'message.received' && p.data.id === id)
    assert.equal(asked?.data.text, '!ping', 'the command itself as a message')
    assert.equal(command?.data.request_id, id)
    assert.equal(command?.data.chat, asked?.data.chat)
    const statuses = payloads.filter((p) => p.type === 'message.status' && p.data.id === reply?.id)
    assert.ok(statuses.every((p) => p.data.chat === asked?.data.chat && p.session === 'default'), 'in the chat the command came from')
    const steps = statuses.map((p) => p.data.status)
    assert.equal(steps[0], 'sent', `sent first: ${steps.join(', ')}`)
    assert.equal(steps.at(-1), 'read', `in the order WhatsApp told them: ${steps.join(', ')}`)
  })

  it('group.participants and group.updated from what contacts do in a group', async () => {
    const group = e.emulator.createGroupAs(ALICE, 'Webhook club', [BOB], { botIsAdmin: true })
    e.emulator.participantsAs(ALICE, group.jid, [CAROL], 'add')
    e.emulator.updateGroupAs(ALICE, group.jid, { subject: 'Webhook club, renamed' })
    const payloads = await arrived(
      (p) => p.some((x) => x.type === 'group.participants' && x.data.group === group.jid && JSON.stringify(x.data.participants).includes(jid(CAROL))) && p.some((x) => x.type === 'group.updated' && x.data.group === group.jid),
      'the group events',
    )
    const added = payloads.find((p) => p.type === 'group.participants' && p.data.group === group.jid && JSON.stringify(p.data.participants).includes(jid(CAROL)))
    assert.match(String(added?.data.change), /^(added|joined)$/, JSON.stringify(added?.data))
    assert.ok(added?.data.by, 'who added her')
    const renamed = payloads.find((p) => p.type === 'group.updated' && p.data.group === group.jid)
    assert.equal(renamed?.data.subject, 'Webhook club, renamed')
    assert.equal(renamed?.session, 'default')
  })

  it('session.state as the connection drops and comes back', async () => {
    const before = delivered().filter((p) => p.type === 'session.state').length
    e.emulator.faults.dropConnection()
    await e.waitForState('connecting')
    await e.waitForState('open', 15_000)
    const payloads = await arrived((p) => p.filter((x) => x.type === 'session.state').slice(before).some((x) => x.data.state === 'open'), 'the session back open')
    const states = payloads
      .filter((p) => p.type === 'session.state')
      .slice(before)
      .map((p) => p.data.state)
    assert.deepEqual(states.slice(-2), ['connecting', 'open'], states.join(', '))
    const open = payloads.filter((p) => p.type === 'session.state').at(-1)
    assert.equal(open?.data.jid, BOT_JID)
    assert.equal(open?.session, 'default')
  })

  it('a message WhatsApp delivers again (the receipt never reached it) goes out under the same webhook-id', async () => {
    e.emulator.faults.dropOnNext('receipt', { to: ALICE })
    const { id } = await signal.contact(ALICE).say('said once, delivered twice')
    await e.waitForState('open', 15_000)
    const payloads = await arrived((p) => p.some((x) => x.data.id === id), 'the message')
    // The copy comes on the next connection; give it time to become an event if it would.
    await e.runtime.idle()
    await new Promise((resolve) => setTimeout(resolve, 500))
    const copies = delivered().filter((p) => p.type === 'message.received' && p.data.id === id)
    assert.ok(payloads.length > 0)
    assert.equal(copies.length, 2, 'the copy was an event too (the fault worked)')
    assert.equal(new Set(copies.map((p) => p.id)).size, 1, `one webhook-id for one message: ${copies.map((p) => p.id).join(', ')}`)
    assert.equal(copies[1]?.data.text, 'said once, delivered twice')
  })

  it('every request carried the webhook-id of its event and a signature that only the right secret verifies', () => {
    assert.ok(receiver.received.length >= 10, `${receiver.received.length} requests`)
    for (const request of receiver.received) assert.equal(request.headers['webhook-id'], (JSON.parse(request.body) as Payload).id)
    assert.equal(delivered().length, receiver.received.filter((r) => r.status < 300).length, 'every one verifies')
    const types = new Set(delivered().map((p) => p.type))
    for (const type of ['message.received', 'message.status', 'group.participants', 'group.updated', 'session.state', 'command.handled']) assert.ok(types.has(type), `a ${type} arrived`)
    assert.throws(() => delivered(`whsec_${Buffer.alloc(32, 7).toString('base64')}`), 'another secret does not verify them')
  })

  it("a subscription for session 'sales' hears only that session's events", async () => {
    assert.equal((await e.request('POST', '/sessions', { id: 'sales' })).status, 201)
    let qr: string | null = null
    for (const deadline = Date.now() + 15_000; !qr && Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 50))) {
      qr = ((await e.request('GET', '/sessions/sales')).envelope as { data: { qr: string | null } }).data.qr
    }
    assert.ok(qr, 'a QR for the sales session')
    await e.emulator.scanQr(qr, { phone: SALES_PHONE })
    for (let state = ''; state !== 'open'; await new Promise((resolve) => setTimeout(resolve, 50))) {
      state = ((await e.request('GET', '/sessions/sales')).envelope as { data: { state: string } }).data.state
    }

    const salesReceiver = new WebhookReceiver()
    await salesReceiver.start()
    try {
      const made = await e.request('POST', '/sessions/sales/webhooks', { url: salesReceiver.url, events: ['message.*', 'command.handled', 'session.*'] })
      assert.equal(made.status, 201, JSON.stringify(made.envelope))
      const sales = (made.envelope as { data: Created }).data
      assert.equal(sales.session, 'sales')

      const alice = signal.contact(ALICE)
      const toDefault = await alice.say('for the default number')
      const toSales = await alice.say('for the sales number', { to: SALES_PHONE })
      const ping = await alice.say('!ping', { to: SALES_PHONE })
      const [pong] = await signal.repliesTo(ping.id, { count: 1 })
      assert.equal(pong?.bot, jid(SALES_PHONE))

      // The all-sessions subscription hears both numbers; sales' hears its own only.
      await arrived((p) => p.some((x) => x.data.id === toDefault.id) && p.some((x) => x.data.id === toSales.id), 'both messages on the all-sessions subscription')
      const payloads = await arrived(
        (p) => p.some((x) => x.data.id === toSales.id) && p.some((x) => x.type === 'command.handled') && p.some((x) => x.type === 'message.status' && x.data.id === pong?.id),
        "sales' message, command and reply status",
        sales.secret,
        salesReceiver,
      )
      // Anything of default's still under way would have arrived by now.
      await e.runtime.idle()
      await new Promise((resolve) => setTimeout(resolve, 300))
      const all = delivered(sales.secret, salesReceiver)
      assert.ok(payloads.length > 0)
      assert.deepEqual([...new Set(all.map((p) => p.session))], ['sales'])
      assert.ok(!all.some((p) => p.data.id === toDefault.id), "default's message is not sent there")
      assert.equal(all.find((p) => p.data.id === toSales.id)?.data.text, 'for the sales number')
      assert.ok(!all.some((p) => p.type.startsWith('group.')), 'nor anything it did not ask for')
      // A session's subscription is listed under it, and not under another's.
      const listed = (await e.request('GET', '/sessions/sales/webhooks')).envelope as { data: { id: string }[] }
      assert.deepEqual(
        listed.data.map((w) => w.id),
        [sales.id],
      )
      assert.equal((await e.request('GET', `/sessions/default/webhooks/${sales.id}`)).status, 404)
    } finally {
      await salesReceiver.stop()
    }
  })
})
