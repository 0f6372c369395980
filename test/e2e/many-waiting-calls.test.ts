import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { ALICE, eventually, jidOf, startMessagesWorld, type MessagesWorld } from '../messages/world.js'
import { pair, startEmulatedRuntime, type EmulatedRuntime } from '../support/emulated-runtime.js'

/**
 * Every call waiting on a connection (for its pacing slot, or for WhatsApp's
 * answer) listens for that connection's end. A busy bot has many at once, and
 * Node warns of a "possible memory leak" past ten listeners on one signal.
 */
/** The process warnings from `start` on, as "name: message"; warnings are emitted on the next tick, so reading waits for it. */
function processWarnings(): { start: () => void; stop: () => void; seen: () => Promise<string[]> } {
  const warnings: Error[] = []
  const onWarning = (warning: Error) => warnings.push(warning)
  return {
    start: () => process.on('warning', onWarning),
    stop: () => process.off('warning', onWarning),
    seen: async () => {
      await new Promise((resolve) => setImmediate(resolve))
      return warnings.map((w) => `${w.name}: ${w.message}`)
    },
  }
}

describe('many group calls at once on one connection', () => {
  let e: EmulatedRuntime
  const warnings = processWarnings()

  before(async () => {
    // A small burst, so that most calls wait for their slot, and a fast rate, so that they soon go out together.
    e = await startEmulatedRuntime({ config: { whatsapp: { groupCalls: { burst: 2, perSecond: 40, maxWaitMs: 10_000, pauseAfterLimitSeconds: 0 } } } })
    e.emulator.addContact({ phone: '15550002222', name: 'Member' })
    await pair(e)
    warnings.start()
  })
  after(async () => {
    warnings.stop()
    await e.close()
  })

  it('answers every one, and Node sees no listener leak', async () => {
    const creates = Array.from({ length: 15 }, (_, i) => e.request('POST', '/groups', { name: `Busy ${i}`, participants: ['15550002222'] }))
    const created = await Promise.all(creates)
    assert.deepEqual(created.map((r) => r.status), Array(15).fill(200), JSON.stringify(created.find((r) => r.status !== 200)?.envelope))
    const jids = created.map((r) => (r.envelope as { data: { jid: string } }).data.jid)
    assert.equal(new Set(jids).size, 15, 'fifteen groups, each its own')
    const reads = await Promise.all(jids.map((jid) => e.request('GET', `/groups/${jid}?refresh=true`)))
    assert.deepEqual(reads.map((r) => r.status), Array(15).fill(200))
    assert.deepEqual(await warnings.seen(), [])
  })
})

describe('many sends waiting for their turn on one connection', () => {
  let w: MessagesWorld
  const warnings = processWarnings()

  before(async () => {
    // One message at once, then twenty a second: fifteen sends queue behind the first.
    w = await startMessagesWorld({ messages: { pacing: { burst: 1, perSecond: 20, perChatBurst: 1, perChatPerSecond: 20, maxWaitSeconds: 30, typing: false, typingMaxMs: 0 } } })
    warnings.start()
  })
  after(async () => {
    warnings.stop()
    await w.close()
  })

  it('sends every one, and Node sees no listener leak', async () => {
    // As chat replies and plugins send: with nothing but the connection to cancel the wait.
    const sent = await Promise.all(Array.from({ length: 15 }, (_, i) => w.runtime.whatsapp.sendText(jidOf(ALICE), `queued ${i}`)))
    assert.equal(new Set(sent.map((m) => m.id)).size, 15)
    const queued = () => w.signal.replies.filter((m) => m.chat === jidOf(ALICE) && m.text.startsWith('queued '))
    await eventually(() => queued().length === 15, 'Alice reads all fifteen')
    assert.deepEqual(new Set(queued().map((m) => m.text)), new Set(Array.from({ length: 15 }, (_, i) => `queued ${i}`)))
    assert.deepEqual(await warnings.seen(), [])
  })
})
