import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { definePlugin, type GroupEvent } from 'waplug'
import { startTestBot } from 'waplug/testing'

/** Greets whoever joins a group, on its own: no command asks for it. Keeps what it heard. */
function welcomePlugin() {
  const heard: GroupEvent[] = []
  let off = () => {}
  const plugin = definePlugin({
    name: 'welcome',
    version: '1.0.0',
    setup() {},
    start({ whatsapp, logger }) {
      off = whatsapp.onGroupEvent((event) => {
        heard.push(event)
        if (event.type !== 'participants' || event.change !== 'joined') return
        const mentions = event.participants.map((p) => p.jid)
        const names = mentions.map((jid) => `@${jid.split('@')[0]}`).join(' ')
        whatsapp.sendText(event.group, `Welcome ${names}!`, { mentions }).catch((err: unknown) => logger.error({ err }, 'could not greet'))
      })
    },
    stop() {
      off()
    },
  })
  return { plugin, heard }
}

describe('waplug/testing: group events', () => {
  it('waits for what the bot says on its own when someone joins', async (t) => {
    const { plugin } = welcomePlugin()
    const bot = await startTestBot(t, { plugins: [plugin] })
    const alice = bot.contact('Alice')
    const bob = bot.contact('Bob')
    const group = bot.group('Team', { members: [alice] })

    await group.add(bob)
    const greeting = await bot.nextMessage({ in: group })
    assert.equal(greeting.text, `Welcome @${bob.phone}!`)
    assert.deepEqual(greeting.mentions, [bob.jid])
    assert.equal(greeting.chat, group.jid)
    assert.equal(greeting.quotedId, undefined)
    assert.deepEqual(bot.messages({ in: group }), [greeting])
  })

  it('makes each change as a person would, and resolves once the bot’s handlers have heard it', async (t) => {
    const { plugin, heard } = welcomePlugin()
    const bot = await startTestBot(t, { plugins: [plugin] })
    const alice = bot.contact('Alice')
    const bob = bot.contact('Bob')
    const group = bot.group('Team', { members: [alice, bob, bot.owner] })

    await group.promote(bob)
    await group.update({ subject: 'Team 2', description: 'Our place' }, { by: bob })
    await group.demote(bob, { by: alice })
    await group.leave(bob)
    await group.remove(bot.owner, { by: alice })
    const who = (person?: { jid: string }) => [alice, bob, bot.owner].find((c) => c.jid === person?.jid || c.lid === person?.jid)?.name
    const seen = heard.map((e) =>
      e.type === 'participants' ? `${who(e.by)} ${e.change} ${e.participants.map(who).join()}` : `${who(e.by)} updated ${e.subject ?? e.description}`,
    )
    assert.deepEqual(seen, ['Alice promoted Bob', 'Bob updated Team 2', 'Bob updated Our place', 'Alice demoted Bob', 'Bob left Bob', 'Alice left Owner'])
    const info = group.info()
    assert.equal(info.subject, 'Team 2')
    assert.equal(info.description, 'Our place')
    assert.deepEqual(info.participants.map((p) => p.jid).sort(), [alice.jid, bot.jid].sort())
  })

  it('refuses what WhatsApp would refuse, naming who tried what', async (t) => {
    const bot = await startTestBot(t)
    const alice = bot.contact('Alice')
    const bob = bot.contact('Bob')
    const carol = bot.contact('Carol', { onGroupAdd: 'privacy' })
    const group = bot.group('Team', { members: [alice, bob] })

    await assert.rejects(group.promote(alice, { by: bob }), { message: 'WhatsApp refused Bob promoting Alice in "Team": only admins may do that' })
    await assert.rejects(group.add(carol), { message: 'Alice adding Carol in "Team" failed for Carol: 403 their privacy settings refuse it' })
    await assert.rejects(group.add(bob), /failed for Bob: 409 already a member/)
    assert.throws(() => bot.group('Private', { members: [alice, carol] }), { message: 'Carol could not be put in "Private": their onGroupAdd setting refuses it' })
  })

  it('says when the bot sends nothing new in a chat', async (t) => {
    const bot = await startTestBot(t)
    const alice = bot.contact('Alice')
    const group = bot.group('Quiet', { members: [alice] })
    assert.deepEqual(await bot.say('!ping', { from: alice, in: group }), ['pong'])
    await assert.rejects(bot.nextMessage({ in: group, timeoutMs: 300 }), {
      message: 'The bot sent no new message in "Quiet" within 300 ms.\nIts last message there: "pong" (already taken by an earlier say or nextMessage).',
    })
  })
})
