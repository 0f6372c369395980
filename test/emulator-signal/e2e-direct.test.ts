// End to end with the real Baileys client on the emulator: a contact writes,
// the client emits it; the client answers, the contact reads it.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { pairedBot, withEmulator } from '../emulator/helpers.js'
import { installSignal } from '../../emulator/signal/index.js'
import { nextUpsert, textOf } from './upsert.js'

void test('1:1 both ways with the real client: say → messages.upsert, sendMessage → nextReply', async () => {
  await withEmulator(async (emu) => {
    const signal = installSignal(emu.host, { timeoutMs: 3000 })
    emu.addContact({ phone: '15550200002', name: 'Alice' })
    const bot = await pairedBot(emu)
    try {
      const alice = signal.contact('15550200002')

      const seen = nextUpsert(bot.sock, (m) => textOf(m) === '!ping')
      const { id } = await alice.say('!ping')
      const incoming = await seen
      assert.equal(incoming.key.id, id)
      assert.equal(incoming.key.fromMe, false)
      assert.equal(incoming.pushName, 'Alice')

      await bot.sock.sendMessage(incoming.key.remoteJid!, { text: 'pong' }, { quoted: incoming })
      const reply = await alice.nextReply()
      assert.equal(reply.text, 'pong')
      assert.equal(reply.quotedId, id)
      assert.equal(reply.chat, alice.jid)

      // Second round: sessions exist now on both sides (msg, not pkmsg).
      const seen2 = nextUpsert(bot.sock, (m) => textOf(m) === 'again')
      await alice.say('again')
      await seen2
      await bot.sock.sendMessage(alice.jid, { text: 'to the phone number' })
      assert.equal((await alice.nextReply()).text, 'to the phone number')
      assert.deepEqual(signal.failures, [])
    } finally {
      signal.close()
      await bot.dispose()
    }
  })
})
