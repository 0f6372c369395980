// One simulated contact writing to many bots at once, each bot a real
// Baileys client in this process: every bot's reply must decrypt.
//
// libsignal serialises session work per remote address in one process-wide
// queue, and Baileys keeps each socket's key transaction in an
// AsyncLocalStorage. Unpatched, a queued job ran in the async context of
// whoever had started the queue: with several sockets writing to the same
// person at once, a bot's session write could land in its own earlier,
// already committed transaction and be lost. Its next reply then carried a
// stale ratchet (previous counter -1) and the contact failed with
// "Over 2000 messages into the future" / "No matching sessions found".
// patches/libsignal+6.0.0.patch runs each job in the context it was queued from.
import assert from 'node:assert/strict'
import { AsyncLocalStorage } from 'node:async_hooks'
import { createRequire } from 'node:module'
import { after, before, describe, test } from 'node:test'
import type { WAMessage } from '@whiskeysockets/baileys'
import { startEmulator, type Emulator } from '../../emulator/index.js'
import { installSignal, type SignalLayer } from '../../emulator/signal/index.js'
import { textOf } from '../emulator-signal/client-events.js'
import { pairedBot, type BotClient } from './helpers.js'

const BOTS = 12
const ROUNDS = 3
const alicePhone = '15550200001'
const phoneOf = (i: number): string => `1555100${String(i).padStart(4, '0')}`

/** A bot that answers every text with a reply quoting it. */
function answering(bot: BotClient): void {
  bot.sock.ev.on('messages.upsert', ({ messages, type }: { messages: WAMessage[]; type: string }) => {
    if (type !== 'notify') return
    for (const m of messages) {
      if (m.key.fromMe || !m.key.remoteJid || !textOf(m)) continue
      void bot.sock.sendMessage(m.key.remoteJid, { text: `pong from ${bot.sock.user?.id.split(':')[0]}` }, { quoted: m }).catch(() => undefined)
    }
  })
}

type QueueJob = <T>(bucket: string, job: () => Promise<T>) => Promise<T>
const queueJob = createRequire(import.meta.url)('libsignal/src/queue_job.js') as QueueJob

void test("libsignal runs each session job in its caller's async context (patches/libsignal)", async () => {
  const context = new AsyncLocalStorage<string>()
  let release = (): void => {}
  const held = new Promise<void>((resolve) => (release = resolve))
  // The first caller starts the queue for this address and holds it; the second queues behind it.
  const first = context.run('first', () => queueJob('queue-context-check.0', () => held.then(() => context.getStore())))
  const second = context.run('second', () => queueJob('queue-context-check.0', () => Promise.resolve(context.getStore())))
  release()
  assert.deepEqual(await Promise.all([first, second]), ['first', 'second'])
})

void describe('one contact, many bots', () => {
  let emu: Emulator
  let signal: SignalLayer
  const bots: BotClient[] = []

  before(async () => {
    emu = await startEmulator({ iqTimeoutMs: 5000 })
    signal = installSignal(emu.host, { timeoutMs: 15_000 })
    emu.addContact({ phone: alicePhone, name: 'Alice' })
    for (let i = 1; i <= BOTS; i++) {
      const bot = await pairedBot(emu, phoneOf(i))
      answering(bot)
      bots.push(bot)
    }
  })

  after(async () => {
    signal.close()
    for (const bot of bots) await bot.dispose()
    await emu.stop()
  })

  void test(`a contact writes to ${BOTS} bots at once and reads every reply`, async () => {
    const alice = signal.contact(alicePhone)
    for (let round = 0; round < ROUNDS; round++) {
      const results = await Promise.allSettled(
        bots.map(async (_, i) => {
          const phone = phoneOf(i + 1)
          const { id } = await alice.say(`!ping ${round}`, { to: phone })
          const [reply] = await signal.repliesTo(id, { bot: phone })
          assert.equal(reply?.text, `pong from ${phone}`)
          assert.equal(reply?.bot, emu.bot(phone).jid)
          assert.deepEqual(reply?.readBy, [alice.jid])
        }),
      )
      const failed = results.flatMap((r, i) => (r.status === 'rejected' ? [`${phoneOf(i + 1)}: ${(r.reason as Error).message}`] : []))
      assert.deepEqual(failed, [], `round ${round}`)
    }
    assert.deepEqual(signal.failures, [])
  })
})
