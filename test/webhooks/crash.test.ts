// Webhook events survive SIGKILLs: the runtime as `npm start` runs it
// (`node dist/core/main.js`) on the emulator, with a subscription set in its
// config/local.json. Contacts write while the receiver is down, so events pile
// up; the runtime is killed at a random moment (new messages still coming
// in, deliveries being retried), started again on the same DATA_DIR with the
// receiver up but slow, killed again while deliveries are in flight, and
// started once more. Every message must reach the receiver as
// message.received, and any event delivered twice under the same webhook-id.
// What was produced is read back from the runtime's own log (GET /events).
//
//   WEBHOOK_CRASH_SEED=<n> replays a run's choices (the kills' timing still varies).
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { it } from 'node:test'
import type { SimContact } from '../../emulator/signal/index.js'
import { childPreloads } from '../support/child-preloads.js'
import { CrashWorld, Random } from '../support/crash-world.js'
import { CHILD_API_KEY } from '../support/runtime-process.js'
import { SseClient } from '../support/sse-client.js'
import '../support/quiet-libsignal.js'
import { WebhookReceiver, type Payload } from '../support/webhook-receiver.js'

/** Messages sent while the receiver is down, before the first kill. */
const BACKLOG = 30
const CONTACTS = 5
/** Messages each contact sends after those, among which the first kill falls. */
const TAIL = 3
const seed = Number(process.env.WEBHOOK_CRASH_SEED ?? Math.floor(Math.random() * 1e9))

it('every event produced before a SIGKILL is delivered after the restart; a duplicate carries the same webhook-id', { timeout: 120_000 }, async (t) => {
  const root = mkdtempSync(path.join(tmpdir(), 'waplug-webhook-crash-'))
  const random = new Random(seed)
  const receiver = new WebhookReceiver()
  let world: CrashWorld | undefined
  try {
    // The receiver's address is fixed in the configuration; it starts down.
    await receiver.start()
    await receiver.stop()
    const secret = `whsec_${randomBytes(32).toString('base64')}`
    mkdirSync(path.join(root, 'config'))
    writeFileSync(
      path.join(root, 'config', 'local.json'),
      JSON.stringify({
        webhooks: {
          subscriptions: [{ url: receiver.url, events: ['message.received'], secret }],
          allow: { loopback: true, private: false, linkLocal: false },
          retry: { firstDelayMs: 100, maxDelayMs: 400, periodHours: 1 },
        },
      }),
    )
    world = await CrashWorld.start(root, childPreloads(root), random)
    await world.pair()
    const contacts = Array.from({ length: CONTACTS }, () => world!.newContact())

    /** Every message sent, by WhatsApp id: acknowledged by the bot before the kill that followed, or after a restart. */
    const sent = new Map<string, { text: string; ackedBeforeKill: boolean; at: number }>()
    let killed = false
    const say = async (contact: SimContact, text: string): Promise<void> => {
      const { id } = await contact.say(text, { timeoutMs: 40_000 })
      sent.set(id, { text, ackedBeforeKill: !killed, at: Date.now() })
    }

    // 1. The receiver is down: every message becomes an event that waits, its deliveries retried.
    await Promise.all(
      contacts.map(async (contact, c) => {
        for (let i = 0; i < BACKLOG / CONTACTS; i++) await say(contact, `backlog ${c}.${i}`)
      }),
    )
    // 2. More come in, and the runtime is killed at a random moment among them (and among the retries).
    let tailAcked = 0
    const tail = contacts.map(async (contact, c) => {
      for (let i = 0; i < TAIL; i++) {
        await say(contact, `tail ${c}.${i}`)
        tailAcked++
      }
    })
    const killAtTail = random.int(1, CONTACTS * TAIL - 2)
    while (tailAcked < killAtTail) await pause(1)
    await pause(random.int(0, 40))
    killed = true
    const kills = [Date.now()]
    await world.kill()
    const beforeFirstKill = [...sent.values()].filter((m) => m.ackedBeforeKill).length

    // 3. Back with the receiver up but slow; killed again while deliveries are in flight.
    receiver.fallback = { status: 204, delayMs: 400 }
    await receiver.restart()
    killed = false
    await world.restart()
    const slowTaken = random.int(2, 12)
    await receiver.until((r) => r.length >= slowTaken && receiver.pending > 0, 'slow deliveries under way')
    const inFlight = receiver.pending
    killed = true
    kills.push(Date.now())
    await world.kill()
    const beforeSecondKill = [...sent.values()].filter((m) => m.ackedBeforeKill).length

    // 4. Back once more, with the receiver quick; the messages WhatsApp kept for the bot come in too.
    receiver.fallback = { status: 204 }
    killed = false
    await world.restart()
    await Promise.all(tail)
    const ids = [...sent.keys()]
    // What the runtime produced: the message events in its log, read from its event stream.
    await pause(300)
    const log = await SseClient.open(`${world.bot!.url}/events?after=0&types=message.received`, { authorization: CHILD_API_KEY })
    assert.equal(log.status, 200)
    const produced = new Map((await log.quiet(500)).map((e) => [String(e.data.data.id), e.data.id]))
    await log.close()
    const arrived = (): Payload[] => receiver.delivered(secret).filter((p) => p.type === 'message.received')
    await receiver
      .until(() => [...produced.values()].every((eventId) => arrived().some((p) => p.id === eventId)), `all ${produced.size} events produced`, 30_000)
      .catch(() => undefined)

    const byMessage = new Map<string, Set<string>>()
    let deliveries = 0
    for (const payload of arrived()) {
      const messageId = String(payload.data.id)
      assert.ok(sent.has(messageId), `a message nobody sent: ${JSON.stringify(payload.data)}`)
      deliveries++
      const webhookIds = byMessage.get(messageId) ?? new Set<string>()
      webhookIds.add(payload.id)
      byMessage.set(messageId, webhookIds)
      assert.equal(payload.data.text, sent.get(messageId)?.text)
    }
    const undelivered = [...produced].filter(([messageId]) => !byMessage.has(messageId)).map(([messageId]) => sent.get(messageId)?.text ?? messageId)
    /** Acknowledged to WhatsApp by the bot, and never an event: WhatsApp will not deliver them again. */
    const neverProduced = ids.filter((id) => !produced.has(id))
    const duplicates = deliveries - byMessage.size
    const sinceAck = (at: number): string => {
      const kill = kills.find((k) => k >= at)
      return kill === undefined ? 'after the last restart' : `${kill - at} ms before a kill`
    }
    const underNewIds = [...byMessage].filter(([, webhookIds]) => webhookIds.size > 1)
    const repeated = receiver.received.length - new Set(receiver.received.map((r) => r.headers['webhook-id'])).size

    t.diagnostic(`seed ${seed} (WEBHOOK_CRASH_SEED replays it); first kill after ${killAtTail} of the ${CONTACTS * TAIL} later messages, ${beforeFirstKill} messages acknowledged before it; second kill after ${slowTaken} slow deliveries, ${inFlight} in flight, ${beforeSecondKill} acknowledged before it`)
    t.diagnostic(
      `messages ${ids.length}; events produced ${produced.size}, delivered ${byMessage.size}, lost ${undelivered.length}, duplicates ${duplicates} (${underNewIds.length} under another webhook-id); requests ${receiver.received.length}, ${repeated} of them a webhook-id again; acknowledged but never an event: ${neverProduced.length}${neverProduced.map((id) => ` (${sinceAck(sent.get(id)?.at ?? 0)})`).join('')}`,
    )
    t.diagnostic(`restarts that asked for a QR: ${world.tally.qrNeeded}, failed starts: ${world.tally.failedStarts}`)
    for (const note of world.tally.notes.slice(0, 5)) t.diagnostic(note)

    assert.equal(world.tally.qrNeeded + world.tally.failedStarts, 0, 'every restart logged in on the same DATA_DIR')
    assert.equal(ids.length, BACKLOG + CONTACTS * TAIL, 'every message was acknowledged in the end')
    assert.deepEqual(undelivered, [], 'events produced and never delivered')
    assert.deepEqual(
      underNewIds.map(([id, webhookIds]) => `${sent.get(id)?.text}: ${[...webhookIds].join(', ')}`),
      [],
      'a message delivered again must carry the same webhook-id',
    )
    // The receipt goes out only after the event is committed (waplug's patch of Baileys), so a kill in between leaves WhatsApp holding the message.
    assert.deepEqual(
      neverProduced.map((id) => `${sent.get(id)?.text} (acknowledged ${sinceAck(sent.get(id)?.at ?? 0)})`),
      [],
      'every message the bot acknowledged becomes an event',
    )
  } finally {
    await world?.close()
    await receiver.stop()
    rmSync(root, { recursive: true, force: true, maxRetries: 20, retryDelay: 50 })
  }
})

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
