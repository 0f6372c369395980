// What the bot does with messages that waited for it on WhatsApp's server,
// and with one WhatsApp delivers twice, also after a restart: the runtime
// with the real Baileys client on the emulator, over a real socket.
import assert from 'node:assert/strict'
import { it } from 'node:test'
import { startTestBot } from '../../core/testing/index.js'
import { installSignal } from '../../emulator/signal/index.js'
import { becomes } from '../support/connection-states.js'
import { countingPlugin } from '../support/counting-plugin.js'
import { pair, startEmulatedRuntime, until } from '../support/emulated-runtime.js'

it('answers commands from the backlog younger than chat.backlogSeconds, not older ones; plugins see backlog: true', async (t) => {
  const count = countingPlugin()
  const bot = await startTestBot(t, { plugins: [count.plugin], builtins: false, config: { chat: { backlogSeconds: 600 } } })
  const signal = installSignal(bot.emulator.host)
  const ann = signal.contact(bot.contact('Ann').phone)

  const away = becomes(bot.runtime, 'connecting')
  bot.emulator.faults.dropConnection()
  await away
  const now = Math.floor(Date.now() / 1000)
  // Each waits for the bot's receipt: they are delivered when it is back.
  const sent = [
    ann.say('!count old', { sentAt: now - 3600, timeoutMs: 30_000 }),
    ann.say('are you there? (an hour ago)', { sentAt: now - 3600, timeoutMs: 30_000 }),
    ann.say('are you there? (a minute ago)', { sentAt: now - 60, timeoutMs: 30_000 }),
    ann.say('!count recent', { sentAt: now - 60, timeoutMs: 30_000 }),
  ]
  const [old, , , recent] = await Promise.all(sent)
  assert.deepEqual((await signal.repliesTo(recent?.id ?? '', { count: 1, timeoutMs: 20_000 })).map((r) => r.text), ['counted recent'])
  await ann.say('back now')
  await bot.runtime.idle()

  // Messages of one chat are handled in order, so the hour-old command was passed over before the recent one was answered.
  assert.deepEqual(signal.replies.filter((r) => r.quotedId === old?.id), [])
  assert.equal(count.runs.get(old?.id ?? ''), undefined)
  assert.deepEqual(count.heard.map(({ text, backlog }) => ({ text, backlog })), [
    { text: 'are you there? (a minute ago)', backlog: true },
    { text: 'back now', backlog: false },
  ])
})

it('runs a command WhatsApp delivers again (the bot’s receipt was lost with the connection) once, and answers it once', async (t) => {
  const count = countingPlugin()
  const bot = await startTestBot(t, { plugins: [count.plugin], builtins: false })
  const signal = installSignal(bot.emulator.host)
  const ben = bot.contact('Ben')
  const deliveries = new Map<string, number>()
  bot.runtime.whatsapp.onMessage((message) => deliveries.set(message.id, (deliveries.get(message.id) ?? 0) + 1))

  // The bot reads the command and runs it, but its receipt is lost with the connection, so WhatsApp delivers it again.
  bot.emulator.faults.dropOnNext('receipt', { to: ben.phone })
  const { id } = await signal.contact(ben.phone).say('!count 1', { timeoutMs: 30_000 })
  await until(() => deliveries.get(id) === 2, 'the second delivery of the command', 20_000)
  assert.deepEqual((await signal.repliesTo(id, { count: 1, timeoutMs: 20_000 })).map((r) => r.text), ['counted 1'])
  await bot.runtime.idle()

  assert.equal(count.runs.get(id), 1)
  assert.deepEqual(signal.replies.filter((r) => r.quotedId === id).map((r) => r.text), ['counted 1'])
})

it('reads a command WhatsApp delivers again after a restart (the bot died before its receipt left) from what it stored with the session, without asking the phone to send it again', async (t) => {
  const count = countingPlugin()
  const e = await startEmulatedRuntime({ plugins: [count.plugin] })
  t.after(() => e.close())
  const signal = installSignal(e.emulator.host, { timeoutMs: 20_000 })
  t.after(() => signal.close())
  // Registered after the Signal layer, so they see the bot's receipts and acks first; they only look.
  const refusals: string[] = []
  e.emulator.host.router.on('receipt', (stanza) => {
    if (stanza.attrs.type === 'retry') refusals.push(`retry receipt for ${stanza.attrs.id}`)
    return false
  })
  e.emulator.host.router.on('ack', (stanza) => {
    if (stanza.attrs.class === 'message' && stanza.attrs.error) refusals.push(`nack ${stanza.attrs.error} for ${stanza.attrs.id}`)
    return false
  })
  const phone = e.emulator.addContact({ phone: '15550700002', name: 'Cy' }).phone
  const cy = signal.contact(phone)
  await pair(e)
  await cy.say('!count 0')

  // The bot reads the command, which moves Cy's session on, and answers it; its receipt never reaches
  // WhatsApp, and the bot stops as if killed: the next runtime knows nothing of the first in memory.
  e.emulator.faults.loseNext('receipt', { to: phone })
  const said = cy.say('!count 1', { timeoutMs: 60_000 })
  await until(() => signal.replies.some((r) => r.text === 'counted 1'), 'the answer to the command', 20_000)
  await e.restart()

  // WhatsApp delivers the command again to the new runtime; only the receipt for that copy settles it.
  const { id } = await said
  await e.runtime.idle()
  assert.deepEqual(refusals, [], 'the bot refused the copy')
  assert.equal(count.runs.get(id), 1)
  assert.deepEqual(signal.replies.filter((r) => r.quotedId === id).map((r) => r.text), ['counted 1'])
})
