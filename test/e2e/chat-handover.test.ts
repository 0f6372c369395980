// Two ways Baileys lost messages the bot had already taken: the runtime with
// the real Baileys client on the emulator, over a real socket.
import assert from 'node:assert/strict'
import { it } from 'node:test'
import { startTestBot } from '../../core/testing/index.js'
import { installSignal } from '../../emulator/signal/index.js'
import { becomes } from '../support/connection-states.js'
import { countingPlugin } from '../support/counting-plugin.js'

it('answers a command from the backlog whose receipt reached WhatsApp just before the connection failed', async (t) => {
  const count = countingPlugin()
  const bot = await startTestBot(t, { plugins: [count.plugin], builtins: false })
  const signal = installSignal(bot.emulator.host)
  const cat = bot.contact('Cat')

  const away = becomes(bot.runtime, 'connecting')
  bot.emulator.faults.dropConnection()
  await away
  // It comes with the offline backlog, which Baileys holds a moment before handing it over. WhatsApp has the
  // receipt by then, so it will not deliver the command again: the bot must keep what it took.
  bot.emulator.faults.dropAfterNext('receipt', { to: cat.phone })
  const { id } = await signal.contact(cat.phone).say('!count 1', { timeoutMs: 20_000 })
  assert.deepEqual((await signal.repliesTo(id, { count: 1, timeoutMs: 20_000 })).map((r) => r.text), ['counted 1'])
  assert.equal(count.runs.get(id), 1)
})

it('a contact who keeps writing while the bot answers them can read every answer', async (t) => {
  const count = countingPlugin()
  const bot = await startTestBot(t, { plugins: [count.plugin], builtins: false })
  const signal = installSignal(bot.emulator.host)
  const dee = signal.contact(bot.contact('Dee').phone)

  // Each message from Dee moves her session on while the bot is writing to her on it.
  const sent = await Promise.all(Array.from({ length: 30 }, (_, i) => dee.say(`!count ${i}`)))
  // Waited for all at once: the says race to start Dee's first session, so the bot may get the later ones
  // first (and answers in the order it gets them), and the per-chat pacing spreads 30 answers over about a minute.
  const answers = await Promise.all(
    sent.map(({ id }, i) => signal.repliesTo(id, { count: 1, timeoutMs: 90_000 }).catch((error: unknown) => assert.fail(`!count ${i}: ${(error as Error).message}`))),
  )
  assert.deepEqual(
    answers.map((replies) => replies.map((r) => r.text)),
    sent.map((_, i) => [`counted ${i}`]),
  )
  assert.deepEqual(signal.failures, [])
})
