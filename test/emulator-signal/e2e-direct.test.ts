// End to end with the real Baileys client on the emulator: a contact writes,
// the client emits it; the client answers, the contact reads it.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { proto } from '@whiskeysockets/baileys'
import { pairedBot, withEmulator } from '../emulator/helpers.js'
import { installSignal } from '../../emulator/signal/index.js'
import { nextUpsert, textOf, within } from './client-events.js'
import { withSignalBot } from './signal-bot.js'

void test('1:1 both ways with the real client: say → messages.upsert, sendMessage → nextReply', async () => {
  await withSignalBot([{ phone: '15550200002', name: 'Alice' }], { timeoutMs: 5000 }, async ({ signal, bot, contacts: [alice] }) => {
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
  })
})

void test('any message: a contact reacts to what the bot said and the client reports the reaction', async () => {
  await withEmulator(async (emu) => {
    const signal = installSignal(emu.host, { timeoutMs: 5000 })
    emu.addContact({ phone: '15550200003', name: 'Hank' })
    const bot = await pairedBot(emu)
    try {
      const hank = signal.contact('15550200003')
      const sent = await bot.sock.sendMessage(hank.jid, { text: 'rate me' })
      const said = await hank.nextReply()
      assert.equal(said.id, sent!.key.id)

      const reacted = new Promise<string>((resolve) => {
        bot.sock.ev.on('messages.reaction', (items) => {
          const r = items.find((i) => i.key.id === said.id && i.key.fromMe === true)
          if (r) resolve(r.reaction.text ?? '')
        })
      })
      // The key is as Hank sees it: the bot's message, not his own.
      await hank.send({ reactionMessage: { key: { remoteJid: bot.sock.user!.id, fromMe: false, id: said.id }, text: '👍', senderTimestampMs: Date.now() } })
      assert.equal(await within(reacted, 5000, 'messages.reaction'), '👍')
    } finally {
      await bot.dispose()
    }
  })
})

void test('with receipts on, the client learns its message was read', async () => {
  await withEmulator(async (emu) => {
    const signal = installSignal(emu.host, { timeoutMs: 5000, receipts: 'read' })
    emu.addContact({ phone: '15550200004', name: 'Lee' })
    const bot = await pairedBot(emu)
    try {
      const lee = signal.contact('15550200004')
      const read = new Promise<number>((resolve) => {
        bot.sock.ev.on('messages.update', (updates) => {
          for (const u of updates) if (u.update.status === proto.WebMessageInfo.Status.READ) resolve(u.update.status)
        })
      })
      const sent = await bot.sock.sendMessage(lee.jid, { text: 'did you see this?' })
      assert.equal((await lee.nextReply()).id, sent!.key.id)
      assert.equal(await within(read, 5000, 'read receipt update'), proto.WebMessageInfo.Status.READ)
    } finally {
      await bot.dispose()
    }
  })
})
