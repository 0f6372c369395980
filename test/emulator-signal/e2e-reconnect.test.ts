// Sessions outlive the connection: after the client reconnects over its
// stored auth, contacts and bot keep talking without new prekey sessions.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { pairedBot, withEmulator } from '../emulator/helpers.js'
import { installSignal } from '../../emulator/signal/index.js'
import { nextUpsert, textOf } from './upsert.js'

void test('after a reconnect both directions still decrypt', async () => {
  await withEmulator(async (emu) => {
    const signal = installSignal(emu.host, { timeoutMs: 3000 })
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
    const signal = installSignal(emu.host, { timeoutMs: 3000 })
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
