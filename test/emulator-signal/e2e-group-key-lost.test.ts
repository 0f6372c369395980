// Which members hold the bot's sender key is recorded only once WhatsApp has
// acknowledged the message that carried it: a message lost with the connection
// (or with a crash before its bytes left) must not leave members marked as
// holding a key they never got, or every later group message is unreadable to them.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import type { BotClient } from '../emulator/helpers.js'
import { withSignalBot } from './signal-bot.js'

void test('a group message lost with the connection: the next one carries the sender key again, and every member reads it', async () => {
  await withSignalBot([{ phone: '15550300013', name: 'Alice' }, { phone: '15550300014', name: 'Bob' }], { timeoutMs: 5000 }, async ({ emu, signal, bot, contacts: [alice, bob] }) => {
    const { id: group } = await bot.sock.groupCreate('Team', [alice.jid, bob.jid])

    // The first message carries the bot's new sender key; WhatsApp never gets it.
    emu.faults.dropOnNext('message', { to: group })
    const closed = bot.waitForClose()
    await bot.sock.sendMessage(group, { text: 'lost on the way' }).catch(() => undefined)
    await closed
    assert.deepEqual(await holders(bot, group), [], 'no member is recorded as holding a key WhatsApp never got')
    await bot.connect()
    await bot.waitForOpen()

    await bot.sock.sendMessage(group, { text: 'after the reconnect' })
    const reply = await signal.nextReply({ chat: group })
    assert.equal(reply.text, 'after the reconnect')
    assert.deepEqual([...reply.readBy].sort(), [alice.jid, bob.jid].sort())
    assert.deepEqual(signal.failures, [])

    // Acknowledged this time: both members' devices are recorded, so later messages skip the key.
    await until(async () => {
      const recorded = await holders(bot, group)
      return recorded.includes(alice.lid) && recorded.includes(bob.lid)
    })
    await bot.sock.sendMessage(group, { text: 'and again' })
    const again = await signal.nextReply({ chat: group })
    assert.deepEqual([...again.readBy].sort(), [alice.jid, bob.jid].sort())
    assert.deepEqual(signal.failures, [])
  })
})

/** The devices Baileys records as holding its sender key for `group`. */
async function holders(bot: BotClient, group: string): Promise<string[]> {
  const { [group]: memory } = await bot.sock.authState.keys.get('sender-key-memory', [group])
  return Object.keys(memory ?? {}).filter((device) => memory?.[device])
}

async function until(check: () => Promise<boolean>, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('the members were never recorded as holding the sender key')
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}
