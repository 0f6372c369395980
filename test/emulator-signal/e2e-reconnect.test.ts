// Sessions outlive the connection: after the client reconnects over its
// stored auth, contacts and bot keep talking without new prekey sessions.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { pairedBot, withEmulator } from '../emulator/helpers.js'
import { installSignal } from '../../emulator/signal/index.js'
import type { BinaryNode, WAMessage } from '@whiskeysockets/baileys'
import { nextUpsert, textOf, within } from './client-events.js'

void test('after a reconnect both directions still decrypt', async () => {
  await withEmulator(async (emu) => {
    const signal = installSignal(emu.host, { timeoutMs: 5000 })
    emu.addContact({ phone: '15550400005', name: 'Frank' })
    const bot = await pairedBot(emu)
    try {
      const frank = signal.contact('15550400005')
      const first = nextUpsert(bot.sock, (m) => textOf(m) === 'before')
      await frank.say('before')
      await first
      await bot.sock.sendMessage(frank.jid, { text: 'ack before' })
      assert.equal((await frank.nextReply()).text, 'ack before')

      await bot.end()
      await bot.connect()
      await bot.waitForOpen()

      const second = nextUpsert(bot.sock, (m) => textOf(m) === 'after')
      await frank.say('after')
      await second
      await bot.sock.sendMessage(frank.jid, { text: 'ack after' })
      assert.equal((await frank.nextReply()).text, 'ack after')
      assert.deepEqual(signal.failures, [])
    } finally {
      signal.close()
      await bot.dispose()
    }
  })
})

void test('after the bot is logged out and paired again, contacts start over with its new device', async () => {
  await withEmulator(async (emu) => {
    const signal = installSignal(emu.host, { timeoutMs: 5000 })
    emu.addContact({ phone: '15550400006', name: 'Grace' })
    const old = await pairedBot(emu)
    const grace = signal.contact('15550400006')
    try {
      const first = nextUpsert(old.sock, (m) => textOf(m) === 'hi old')
      await grace.say('hi old')
      await first
    } finally {
      const closed = old.waitForClose()
      emu.faults.streamError(401)
      await closed
      await old.dispose()
    }

    const bot = await pairedBot(emu)
    try {
      const seen = nextUpsert(bot.sock, (m) => textOf(m) === 'hi new')
      await grace.say('hi new')
      await seen
      await bot.sock.sendMessage(grace.jid, { text: 'hello from the new device' })
      assert.equal((await grace.nextReply()).text, 'hello from the new device')
      assert.deepEqual(signal.failures, [])
    } finally {
      signal.close()
      await bot.dispose()
    }
  })
})

void test('a message sent while the bot is away is delivered when it is back, as an offline message', async () => {
  await withEmulator(async (emu) => {
    const signal = installSignal(emu.host, { timeoutMs: 5000 })
    emu.addContact({ phone: '15550400007', name: 'Ivy' })
    const bot = await pairedBot(emu)
    try {
      const ivy = signal.contact('15550400007')
      await bot.end()
      // The server must have seen the close, or the stanza goes into a dying socket.
      for (let i = 0; i < 100 && emu.connected(); i++) await new Promise((r) => setTimeout(r, 10))
      assert.equal(emu.connected(), false)
      const said = ivy.say('while you were away')
      let settled = false
      void said.then(() => (settled = true), () => (settled = true))
      await new Promise((r) => setTimeout(r, 50))
      assert.equal(settled, false, 'say() waits for the bot, not for the server')

      await bot.connect()
      const upserted = new Promise<string>((resolve) => {
        bot.sock.ev.on('messages.upsert', ({ messages, type }) => {
          if (messages.some((m) => textOf(m) === 'while you were away')) resolve(type)
        })
      })
      await bot.waitForOpen()
      await said
      assert.equal(await within(upserted, 5000, 'offline upsert'), 'append')
    } finally {
      await bot.dispose()
    }
  })
})

void test('a message whose receipt never reached the server is delivered again on the next connection', async () => {
  await withEmulator(async (emu) => {
    const signal = installSignal(emu.host, { timeoutMs: 10_000 })
    emu.addContact({ phone: '15550400008', name: 'Jude' })
    const bot = await pairedBot(emu)
    try {
      const jude = signal.contact('15550400008')
      // The client reads it, but the connection fails as it acknowledges it.
      emu.faults.dropOnNext('receipt', { to: jude.jid })
      const upserts: { text: string | null | undefined; type: string }[] = []
      const onUpsert = ({ messages, type }: { messages: WAMessage[]; type: string }) => {
        for (const m of messages) upserts.push({ text: textOf(m), type })
      }
      bot.sock.ev.on('messages.upsert', onUpsert)
      const closed = bot.waitForClose()
      let settled = false
      const said = jude.say('did you get this?')
      void said.then(() => (settled = true), () => (settled = true))
      await closed
      assert.deepEqual(upserts, [{ text: 'did you get this?', type: 'notify' }])
      assert.equal(settled, false, 'the server still waits for the receipt')

      await bot.connect()
      const pushedAgain = new Promise<BinaryNode>((resolve) => {
        bot.sock.ws.on('frame', (frame: BinaryNode) => {
          if (frame.tag === 'message' && frame.attrs.from === jude.lid) resolve(frame)
        })
      })
      await bot.waitForOpen()
      const again = await within(pushedAgain, 5000, 'the message pushed again')
      const { id } = await within(said, 5000, 'the delivery')
      assert.deepEqual([again.attrs.id, again.attrs.offline], [id, '1'])
      // The client's session is past it, so it refuses the copy (the server then stops sending it) rather than upsert it twice.
      assert.equal(upserts.length, 1)
    } finally {
      signal.close()
      await bot.dispose()
    }
  })
})
