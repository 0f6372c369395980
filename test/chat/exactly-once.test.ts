import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, it } from 'node:test'
import { pino } from 'pino'
import { WhatsAppError, type IncomingMessage } from '../../core/index.js'
import { HandledLedger } from '../../core/chat/handled-ledger.js'
import { Storage } from '../../core/storage/storage.js'
import { countingPlugin as counter } from '../support/counting-plugin.js'
import { OWNER, startHarness, type Harness } from '../support/harness.js'

const retention = { doneMs: 3600_000, answeredMs: 3600_000, records: 1000 }

describe('every chat command is answered once', () => {
  let h: Harness
  let count: ReturnType<typeof counter>
  beforeEach(async () => {
    count = counter()
    h = await startHarness({ builtinPlugins: false, plugins: [count.plugin] })
  })
  afterEach(() => h.close())

  it('runs a command WhatsApp delivers twice only once, and answers it once', async () => {
    assert.deepEqual(await h.say('!count 1', { id: 'TWICE' }), ['counted 1'])
    assert.deepEqual(await h.say('!count 1', { id: 'TWICE' }), [])
    assert.equal(count.runs.get('TWICE'), 1)
  })

  it('answers a command delivered again while its answer waits for the connection only once', async () => {
    h.whatsapp.setState('connecting')
    assert.deepEqual(await h.say('!count 2', { id: 'WAITING' }), [])
    assert.deepEqual(await h.say('!count 2', { id: 'WAITING' }), [])
    h.whatsapp.setState('open')
    await h.runtime.idle()
    assert.deepEqual(h.whatsapp.sent.map((s) => [s.quotedId, s.text]), [['WAITING', 'counted 2']])
    assert.equal(count.runs.get('WAITING'), 1)
  })

  it('sends a reply the connection cut off again after the reconnect, under the same id, before the replies that came after it', async () => {
    h.whatsapp.sendFailures.push(new WhatsAppError('not-connected', 'The connection to WhatsApp closed before it took the message', 428))
    assert.deepEqual(await h.say('!count 3', { id: 'CUT' }), [])
    h.whatsapp.setState('connecting')
    assert.deepEqual(await h.say('!count 4', { id: 'AFTER' }), [])
    h.whatsapp.setState('open')
    await h.runtime.idle()
    assert.deepEqual(h.whatsapp.sent.map((s) => [s.quotedId, s.text]), [
      ['CUT', 'counted 3'],
      ['AFTER', 'counted 4'],
    ])
    const tries = h.whatsapp.attempts.filter((a) => a.quotedId === 'CUT')
    assert.equal(tries.length, 2)
    assert.ok(tries[0]?.id && tries[0].id === tries[1]?.id, 'both tries are the same message')
  })

  it('gives up a reply WhatsApp refuses, and the chat still gets its next replies', async () => {
    h.whatsapp.sendFailures.push(new WhatsAppError('failed', 'not-acceptable', 406))
    assert.deepEqual(await h.say('!count 5', { id: 'REFUSED' }), [])
    assert.deepEqual(await h.say('!count 6', { id: 'NEXT' }), ['counted 6'])
    assert.deepEqual(await h.say('!count 5', { id: 'REFUSED' }), [], 'a given-up reply is not tried again when the command comes again')
  })

  it('answers the commands of one chat in the order they were sent, even when the first one is slower', async () => {
    await Promise.all([h.say('!slow', { id: 'FIRST' }), h.say('!count 7', { id: 'SECOND' })])
    assert.deepEqual(h.whatsapp.sent.map((s) => [s.quotedId, s.text]), [
      ['FIRST', 'slow done'],
      ['SECOND', 'counted 7'],
    ])
  })

  it('tells plugins which messages come from the offline backlog, hands them each message once, and none past the window', async () => {
    const now = Math.floor(Date.now() / 1000)
    await h.say('back soon?', { id: 'B1', backlog: true, timestamp: now - 30 })
    await h.say('back soon?', { id: 'B1', backlog: true, timestamp: now - 30 })
    await h.say('yesterday', { id: 'B2', backlog: true, timestamp: now - 86_400 })
    await h.say('live now', { id: 'L1' })
    assert.deepEqual(count.heard.map(({ text, backlog }) => ({ text, backlog })), [
      { text: 'back soon?', backlog: true },
      { text: 'live now', backlog: false },
    ])
  })
})

describe('after a restart', () => {
  let dataDir: string
  beforeEach(() => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'waplug-restart-'))
  })
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }))

  /** What an earlier start of the runtime left in its store. */
  async function earlierStart(leave: (ledger: HandledLedger) => Promise<void>): Promise<void> {
    const storage = new Storage(path.join(dataDir, 'store'))
    await leave(new HandledLedger(storage.forRuntime('chat'), 'an-earlier-start', retention, pino({ level: 'silent' })))
    await storage.close()
  }

  const command = (id: string, text: string): IncomingMessage => ({
    id,
    chat: OWNER,
    sender: OWNER,
    fromMe: false,
    kind: 'text',
    text,
    mentions: [],
    timestamp: Math.floor(Date.now() / 1000),
    isGroup: false,
    backlog: false,
    raw: {},
  })

  it('does not run again a command a crash cut off: at start it tells the sender, and how to check, once', async () => {
    await earlierStart((ledger) => ledger.start(command('CRASHED', '!count 8')))
    const count = counter()
    const h = await startHarness({ builtinPlugins: false, plugins: [count.plugin], dataDir })
    try {
      await h.runtime.idle()
      assert.deepEqual(h.whatsapp.sent, [
        {
          chat: OWNER,
          quotedId: 'CRASHED',
          id: h.whatsapp.sent[0]?.id,
          text: "⚠️ I restarted while I was doing !count, so I can't tell whether it was done. Send !tally 8 to see whether it did, and send it again only if it was not: I won't run it twice by myself.",
        },
      ])
      assert.deepEqual(await h.say('!count 8', { id: 'CRASHED', backlog: true }), [], 'WhatsApp delivering it again changes nothing')
      assert.equal(count.runs.get('CRASHED'), undefined)
    } finally {
      await h.close()
    }
  })

  it('says how to check a group command a crash cut off, and does not call WhatsApp for it', async () => {
    const group = '120363000000000042@g.us'
    await earlierStart(async (ledger) => {
      await ledger.start(command('CREATE', '!creategroup Team 15550002222'))
      await ledger.start({ ...command('ADD', '!add 15550002222'), chat: group, isGroup: true })
    })
    const h = await startHarness({ dataDir })
    try {
      await h.runtime.idle()
      const checks = new Map(h.whatsapp.sent.map((s) => [s.quotedId, /Send (![^ ]+(?: \S+@g\.us)?) to see/.exec(s.text)?.[1]]))
      assert.deepEqual(Object.fromEntries(checks), { CREATE: '!groups', ADD: `!groupinfo ${group}` })
      assert.deepEqual(h.whatsapp.calls.filter((c) => c.op !== 'listGroups'), [])
    } finally {
      await h.close()
    }
  })

  it('runs again a read-only command (one served over GET) a crash cut off, and answers it for real', async () => {
    await earlierStart((ledger) => ledger.start(command('READ', '!look')))
    const count = counter()
    const h = await startHarness({ builtinPlugins: false, plugins: [count.plugin], dataDir })
    try {
      await h.runtime.idle()
      assert.deepEqual(h.whatsapp.sent.map((s) => [s.quotedId, s.text]), [['READ', 'looked']])
      assert.equal(count.runs.get('READ'), 1)
    } finally {
      await h.close()
    }
  })

  it('forgets a command a crash cut off longer ago than the backlog window, without a word', async () => {
    await earlierStart((ledger) => ledger.start({ ...command('LONG-AGO', '!count 9'), timestamp: Math.floor(Date.now() / 1000) - 3600 }))
    const count = counter()
    const h = await startHarness({ builtinPlugins: false, plugins: [count.plugin], dataDir })
    try {
      await h.runtime.idle()
      assert.deepEqual(h.whatsapp.sent, [])
      assert.equal(count.runs.get('LONG-AGO'), undefined)
    } finally {
      await h.close()
    }
  })

  it('does not send again, at the next start, what was answered before a clean stop', async () => {
    const first = await startHarness({ builtinPlugins: false, plugins: [counter().plugin], dataDir })
    try {
      assert.deepEqual(await first.say('!count 10', { id: 'BEFORE' }), ['counted 10'])
    } finally {
      await first.close()
    }
    const second = await startHarness({ builtinPlugins: false, plugins: [counter().plugin], dataDir })
    try {
      await second.runtime.idle()
      assert.deepEqual(second.whatsapp.sent, [])
    } finally {
      await second.close()
    }
  })

  it('sends an answer an earlier start stored but never sent, once, quoting its command', async () => {
    await earlierStart(async (ledger) => {
      await ledger.start(command('UNSENT', '!count 9'))
      await ledger.answer(OWNER, 'UNSENT', { id: '3EB0STORED0001', text: 'counted 9', seq: 1, quoted: command('UNSENT', '!count 9') })
    })
    const count = counter()
    const h = await startHarness({ builtinPlugins: false, plugins: [count.plugin], dataDir })
    try {
      await h.runtime.idle()
      assert.deepEqual(h.whatsapp.sent, [{ chat: OWNER, text: 'counted 9', quotedId: 'UNSENT', id: '3EB0STORED0001' }])
      assert.deepEqual(await h.say('!count 9', { id: 'UNSENT', backlog: true }), [])
      assert.equal(count.runs.get('UNSENT'), undefined)
    } finally {
      await h.close()
    }
  })
})
