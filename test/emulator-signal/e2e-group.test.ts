// Groups end to end with the real Baileys client: sender keys both ways.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { nextUpsert, textOf } from './client-events.js'
import { withSignalBot } from './signal-bot.js'

void test('group both ways with the real client: skmsg in, skmsg out read by every member', async () => {
  await withSignalBot([{ phone: '15550300003', name: 'Alice' }, { phone: '15550300004', name: 'Bob' }], { timeoutMs: 5000 }, async ({ emu, signal, bot, contacts: [alice, bob] }) => {
    const { id: group } = await bot.sock.groupCreate('Team', [alice.jid, bob.jid])

    const seen = nextUpsert(bot.sock, (m) => textOf(m) === '!help')
    const { id } = await alice.say('!help', { group })
    const incoming = await seen
    assert.equal(incoming.key.remoteJid, group)
    assert.equal(incoming.key.participant, alice.lid)

    await bot.sock.sendMessage(group, { text: 'help text' }, { quoted: incoming })
    const reply = await signal.nextReply({ chat: group })
    assert.equal(reply.text, 'help text')
    assert.equal(reply.quotedId, id)
    assert.deepEqual([...reply.readBy].sort(), [alice.jid, bob.jid].sort())

    // Later messages: no new sender keys either way, mentions survive.
    const botLid = emu.host.world.bot!.lid
    const seen2 = nextUpsert(bot.sock, (m) => textOf(m)?.startsWith('@') === true)
    await bob.say(`@${botLid.split('@')[0]} ping`, { group, mentions: [botLid] })
    const m2 = await seen2
    assert.deepEqual(m2.message?.extendedTextMessage?.contextInfo?.mentionedJid, [botLid])
    await bot.sock.sendMessage(group, { text: 'pong' })
    assert.equal((await signal.nextReply({ chat: group })).text, 'pong')

    // Bob still holds the bot's sender key, but the server no longer delivers to him.
    await bot.sock.groupParticipantsUpdate(group, [bob.jid], 'remove')
    await bot.sock.sendMessage(group, { text: 'just us' })
    const after = await signal.nextReply({ chat: group })
    assert.equal(after.text, 'just us')
    assert.deepEqual(after.readBy, [alice.jid])
    assert.deepEqual(signal.failures, [])
  })
})
