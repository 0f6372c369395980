import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { defineAction, definePlugin } from 'waplug'
import { startTestBot } from 'waplug/testing'

const hello = defineAction<{ name?: string }, { greeting: string }>({
  name: 'hello',
  summary: 'Say hello',
  access: 'everyone',
  needsWhatsApp: false,
  input: { type: 'object', additionalProperties: false, properties: { name: { type: 'string' } } },
  chat: { command: 'hello', args: ['name'] },
  successMessage: 'Hello said',
  failureMessage: 'Failed to say hello',
  handler: ({ name }, { caller }) => ({ greeting: `Hello ${name ?? caller.jid ?? 'you'}` }),
  reply: ({ greeting }) => greeting,
})

const secret = defineAction<Record<string, never>, { secret: string }>({
  name: 'secret',
  summary: 'Tell the secret',
  access: 'owner',
  needsWhatsApp: false,
  input: { type: 'object', additionalProperties: false, properties: {} },
  chat: { command: 'secret' },
  successMessage: 'Secret told',
  failureMessage: 'Failed to tell',
  handler: () => ({ secret: '42' }),
  reply: ({ secret }) => `The secret is ${secret}`,
})

const where = defineAction<Record<string, never>, { chat: string; admin: boolean }>({
  name: 'where',
  summary: 'Tell where the command was sent',
  access: 'admins',
  needsWhatsApp: false,
  input: { type: 'object', additionalProperties: false, properties: {} },
  chat: { command: 'where' },
  successMessage: 'Told',
  failureMessage: 'Failed to tell',
  handler: (_input, { caller }) => ({ chat: caller.chat ?? '', admin: caller.isGroupAdmin === true }),
  reply: ({ chat, admin }) => `${chat} ${admin ? 'admin' : 'not admin'}`,
})

const greeter = definePlugin({
  name: 'greeter',
  version: '1.0.0',
  setup(plugin) {
    plugin.action(hello)
    plugin.action(secret)
    plugin.action(where)
  },
})

describe('waplug/testing: commands', () => {
  it('returns the replies to a contact’s command', async (t) => {
    const bot = await startTestBot(t, { plugins: [greeter] })
    const alice = bot.contact('Alice')
    assert.deepEqual(await bot.say('!hello Bob', { from: alice }), ['Hello Bob'])
    assert.deepEqual(await bot.say('!hello', { from: alice }), [`Hello ${alice.jid}`])
  })

  it('lets the owner (the default sender) run owner-only commands, and refuses a contact', async (t) => {
    const bot = await startTestBot(t, { plugins: [greeter] })
    assert.deepEqual(await bot.say('!secret'), ['The secret is 42'])
    assert.deepEqual(await bot.say('!secret', { from: bot.contact('Stranger') }), ["❌ Only the bot's owners may use !secret"])
  })

  it('says in a group, where its admins count as admins', async (t) => {
    const bot = await startTestBot(t, { plugins: [greeter] })
    const alice = bot.contact('Alice')
    const bob = bot.contact('Bob')
    const group = bot.group('Team', { createdBy: bot.contact('Carol'), members: [alice, bob], admins: [alice] })
    assert.deepEqual(await bot.say('!where', { from: alice, in: group }), [`${group.jid} admin`])
    assert.deepEqual(await bot.say('!where', { from: bob, in: group }), [
      "❌ Only the bot's owners and the group's admins may use !where, and admins only inside their group",
    ])
    assert.equal(group.info().participants.find((p) => p.jid === alice.jid)?.admin, 'admin')
  })

  it('passes config through: chat prefixes and more owners', async (t) => {
    const bot = await startTestBot(t, { plugins: [greeter], config: { chat: { prefixes: ['/'] }, owners: ['15550004444'] } })
    const boss = bot.contact('Boss', { phone: '15550004444' })
    assert.deepEqual(await bot.say('/secret', { from: boss }), ['The secret is 42'])
    assert.deepEqual(await bot.say('/secret'), ['The secret is 42'])
  })

  it('loads help beside the given plugins by default, and no built-in plugin with builtins: false', async (t) => {
    const withHelp = await startTestBot(t, { plugins: [greeter] })
    const [list] = await withHelp.say('!help')
    assert.match(list ?? '', /^Commands you can use:\n/)
    assert.match(list ?? '', /!hello \[name\] — Say hello/)
    assert.doesNotMatch(list ?? '', /creategroup/)

    const bare = await startTestBot(t, { plugins: [greeter], builtins: false })
    assert.deepEqual(await bare.say('!ping'), ["I don't know !ping. Send !help to see what I can do."])
  })

  it('loads every built-in plugin with builtins: true', async (t) => {
    const bot = await startTestBot(t, { builtins: true })
    const [list] = await bot.say('!help')
    assert.match(list ?? '', /!creategroup/)
  })
})
