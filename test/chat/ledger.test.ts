import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, it } from 'node:test'
import { pino } from 'pino'
import { WhatsAppError, type IncomingMessage } from '../../core/index.js'
import { tooOldToAnswer } from '../../core/chat/backlog.js'
import { decide, HandledLedger } from '../../core/chat/handled-ledger.js'
import { worthRetrying } from '../../core/chat/reply-outbox.js'
import { Storage } from '../../core/storage/storage.js'

const CHAT = '15550001111@s.whatsapp.net'
const quoted = (id: string): IncomingMessage => ({ id, chat: CHAT, sender: CHAT, fromMe: false, kind: 'text', text: '!ping', mentions: [], timestamp: 0, isGroup: false, backlog: false, raw: {} })

describe('what to do with a message, from its record', () => {
  it('runs a new one, leaves one handled or under way, and flags one an earlier start left half done', () => {
    assert.equal(decide(undefined, 'now'), 'new')
    assert.equal(decide({ state: 'started', at: 1, run: 'now', message: quoted('M') }, 'now'), 'seen')
    assert.equal(decide({ state: 'started', at: 1, run: 'before', message: quoted('M') }, 'now'), 'interrupted')
    assert.equal(decide({ state: 'answered', at: 1, run: 'before', reply: { id: 'R', text: 'pong', seq: 1, quoted: quoted('M') } }, 'now'), 'seen')
    assert.equal(decide({ state: 'done', at: 1 }, 'now'), 'seen')
  })
})

describe('the backlog window', () => {
  const now = 1_700_000_000_000
  it('answers backlog up to the window, not past it, and live messages whatever their age', () => {
    assert.equal(tooOldToAnswer({ backlog: true, timestamp: now / 1000 - 299 }, now, 300), false)
    assert.equal(tooOldToAnswer({ backlog: true, timestamp: now / 1000 - 301 }, now, 300), true)
    assert.equal(tooOldToAnswer({ backlog: false, timestamp: now / 1000 - 86_400 }, now, 300), false)
    assert.equal(tooOldToAnswer({ backlog: true, timestamp: now / 1000 - 1 }, now, 0), true)
  })
})

describe('which failed sends go again', () => {
  it('a lost connection or a missing confirmation, not a refusal', () => {
    assert.equal(worthRetrying(new WhatsAppError('not-connected', 'closed', 428)), true)
    assert.equal(worthRetrying(new WhatsAppError('timeout', 'late', 408)), true)
    assert.equal(worthRetrying(new WhatsAppError('failed', 'reset', undefined, { cause: Object.assign(new Error('reset'), { code: 'ECONNRESET' }) })), true)
    assert.equal(worthRetrying(Object.assign(new Error('broken pipe'), { code: 'EPIPE' })), true)
    assert.equal(worthRetrying(new WhatsAppError('failed', 'not-acceptable', 406)), false)
    assert.equal(worthRetrying(new WhatsAppError('not-authorized', 'not-authorized', 401)), false)
    assert.equal(worthRetrying(new Error('bug')), false)
  })
})

describe('the record of handled messages', () => {
  let directory: string
  let storage: Storage
  let clock: number
  const ledger = (records = 100) =>
    new HandledLedger(storage.forRuntime('chat'), 'run', { doneMs: 60_000, answeredMs: 600_000, records }, pino({ level: 'silent' }), () => clock)
  beforeEach(() => {
    directory = mkdtempSync(path.join(tmpdir(), 'waplug-ledger-'))
    storage = new Storage(directory)
    clock = 1_000_000
  })
  afterEach(async () => {
    await storage.close()
    rmSync(directory, { recursive: true, force: true })
  })

  it('lists answers still to send, earliest first', async () => {
    const l = ledger()
    for (const [id, seq] of [['B', 2], ['A', 1], ['C', 3]] as const) {
      await l.start(quoted(id))
      await l.answer(CHAT, id, { id: `R${id}`, text: id, seq, quoted: quoted(id) })
    }
    await l.finish(CHAT, 'C')
    assert.deepEqual(l.unsent().map((u) => [u.messageId, u.reply.text]), [['A', 'A'], ['B', 'B']])
  })

  it('marks sent answers on disk together: none waits once marked, and the marks survive a reopen', async () => {
    const l = ledger()
    for (const id of ['S1', 'S2']) {
      await l.start(quoted(id))
      await l.answer(CHAT, id, { id: `R${id}`, text: id, seq: 1, quoted: quoted(id) })
      l.sentSoon(CHAT, id)
      assert.equal(l.waiting(CHAT, id), false)
    }
    await l.settled()
    await storage.close()
    storage = new Storage(directory)
    assert.deepEqual(ledger().unsent(), [])
  })

  it('forgets finished messages after their time, keeps waiting answers longer, and stays under its size', async () => {
    const l = ledger(3)
    await l.start(quoted('OLD-DONE'))
    await l.finish(CHAT, 'OLD-DONE')
    await l.start(quoted('OLD-ANSWER'))
    await l.answer(CHAT, 'OLD-ANSWER', { id: 'R', text: 'x', seq: 1, quoted: quoted('OLD-ANSWER') })
    clock += 120_000
    for (const id of ['D1', 'D2', 'D3']) {
      await l.start(quoted(id))
      await l.finish(CHAT, id)
      clock += 1
    }
    assert.equal(await l.prune(), 2, 'the expired finished one, and the oldest finished beyond the size')
    assert.equal(l.decide(CHAT, 'OLD-DONE'), 'new')
    assert.equal(l.decide(CHAT, 'D1'), 'new')
    assert.equal(l.decide(CHAT, 'D3'), 'seen')
    assert.equal(l.waiting(CHAT, 'OLD-ANSWER'), true)
    clock += 600_000
    await l.prune()
    assert.equal(l.waiting(CHAT, 'OLD-ANSWER'), false, 'an answer that waited longer than allowed is given up')
  })

  it('lets other work run while it prunes a large record, and still prunes all of it', async () => {
    // A busy number holds tens of thousands of records; read in one go, a prune stopped everything else for a quarter of a second.
    const store = storage.forRuntime('chat')
    const reads = { count: 0 }
    const counted = Object.assign(Object.create(store) as typeof store, {
      get: <T>(key: string): T | undefined => {
        reads.count++
        return store.get<T>(key)
      },
    })
    const l = new HandledLedger(counted, 'run', { doneMs: 60_000, answeredMs: 600_000, records: 1500 }, pino({ level: 'silent' }), () => clock)
    const done = { state: 'done', at: clock }
    await Promise.all(Array.from({ length: 2000 }, (_, i) => store.set(`handled/${CHAT}/M${String(i).padStart(5, '0')}`, { ...done, at: clock + i })))
    await Promise.all(Array.from({ length: 500 }, (_, i) => store.set(`handled/${CHAT}/OLD${i}`, { ...done, at: clock - 120_000 })))
    const seenMidway: number[] = []
    let ticking = true
    const tick = () => {
      if (reads.count > 0 && reads.count < 2500) seenMidway.push(reads.count)
      if (ticking) setImmediate(tick)
    }
    setImmediate(tick)
    const deleted = await l.prune()
    ticking = false
    assert.ok(seenMidway.length > 0, 'nothing else ran between the first record read and the last')
    assert.equal(deleted, 1000, 'the 500 expired, and the 500 oldest finished beyond 1,500')
    assert.equal(l.decide(CHAT, 'OLD0'), 'new')
    assert.equal(l.decide(CHAT, 'M00499'), 'new')
    assert.equal(l.decide(CHAT, 'M00500'), 'seen')
    assert.equal(store.keys({ prefix: 'handled/' }).length, 1500)
  })
})
