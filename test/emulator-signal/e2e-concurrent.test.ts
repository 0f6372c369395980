// Several contacts writing at once, 1:1 and in a group, then the bot
// answering everyone at once: every message arrives and decrypts.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import type { WAMessage } from '@whiskeysockets/baileys'
import { pairedBot, withEmulator } from '../emulator/helpers.js'
import { installSignal } from '../../emulator/signal/index.js'
import { textOf, within } from './client-events.js'

void test('concurrent traffic both ways, 1:1 and group, all arrives and decrypts', async () => {
  await withEmulator(async (emu) => {
    const signal = installSignal(emu.host, { timeoutMs: 5000 })
    const phones = ['15550600001', '15550600002', '15550600003']
    for (const phone of phones) emu.addContact({ phone })
    const bot = await pairedBot(emu)
    try {
      const contacts = phones.map((p) => signal.contact(p))
      const { id: group } = await bot.sock.groupCreate('Busy', contacts.map((c) => c.jid))
      const texts = new Set<string>()
      const all = new Promise<void>((resolve) => {
        const on = ({ messages }: { messages: WAMessage[] }): void => {
          for (const m of messages) {
            const t = textOf(m)
            if (t) texts.add(t)
          }
          if (texts.size === contacts.length * 6) {
            bot.sock.ev.off('messages.upsert', on)
            resolve()
          }
        }
        bot.sock.ev.on('messages.upsert', on)
      })
      await Promise.all(
        contacts.flatMap((c, i) => [0, 1, 2].flatMap((n) => [c.say(`dm ${i}.${n}`), c.say(`group ${i}.${n}`, { group })])),
      )
      await within(all, 5000, 'all 18 upserts')
      assert.equal(texts.size, 18)

      await Promise.all([...contacts.map((c, i) => bot.sock.sendMessage(c.jid, { text: `to ${i}` })), bot.sock.sendMessage(group, { text: 'to all' })])
      for (const [i, c] of contacts.entries()) assert.equal((await c.nextReply()).text, `to ${i}`)
      const inGroup = await signal.nextReply({ chat: group })
      assert.equal(inGroup.text, 'to all')
      assert.equal(inGroup.readBy.length, 3)
      assert.deepEqual(signal.failures, [])
    } finally {
      await bot.dispose()
    }
  })
})
