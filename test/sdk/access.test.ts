import assert from 'node:assert/strict'
import { afterEach, beforeEach, describe, it, mock } from 'node:test'
import { defineAction, definePlugin, type ActionDefinition } from '../../core/index.js'
import { startHarness, type Harness } from '../support/harness.js'

const ALICE = '15550002222@s.whatsapp.net'
const BOB = '15550003333@s.whatsapp.net'
const GROUP = '120363000000000001@g.us'
const OTHER_GROUP = '120363000000000002@g.us'

const command = (name: string, extra: Partial<ActionDefinition> = {}) =>
  defineAction({
    name,
    summary: `Runs ${name}`,
    access: 'everyone',
    needsWhatsApp: false,
    input: { type: 'object', additionalProperties: false, properties: {} },
    chat: { command: name },
    http: { method: 'POST', path: `/${name}` },
    successMessage: `${name} ran`,
    failureMessage: `Failed to run ${name}`,
    handler: () => ({ ran: name }),
    reply: () => `${name} ran`,
    ...extra,
  })

describe('access: where a command may be sent', () => {
  let h: Harness
  beforeEach(async () => {
    h = await startHarness({
      builtinPlugins: false,
      plugins: [
        definePlugin({
          name: 'places',
          version: '1.0.0',
          setup(plugin) {
            plugin.action(command('welcome', { where: 'group' }))
            plugin.action(command('secret', { where: 'private' }))
          },
        }),
      ],
    })
  })
  afterEach(() => h.close())

  it('runs a group-only command in a group and refuses it in private, owners included, saying where to send it', async () => {
    assert.deepEqual(await h.say('!welcome', { sender: ALICE, chat: GROUP }), ['welcome ran'])
    assert.deepEqual(await h.say('!welcome', { sender: ALICE }), ['❌ Send !welcome in a group; it works only there'])
    assert.deepEqual(await h.say('!welcome'), ['❌ Send !welcome in a group; it works only there'])
  })

  it('runs a private-only command in private and refuses it in a group', async () => {
    assert.deepEqual(await h.say('!secret', { sender: ALICE }), ['secret ran'])
    assert.deepEqual(await h.say('!secret', { sender: ALICE, chat: GROUP }), ['❌ Send !secret to me in a private chat; it does not work in groups'])
  })

  it('does not apply to HTTP callers, who are in no chat', async () => {
    assert.equal((await h.request('POST', '/welcome')).status, 200)
    assert.equal((await h.request('POST', '/secret')).status, 200)
  })
})

describe('access: a plugin\'s allow list from config', () => {
  let h: Harness
  beforeEach(async () => {
    h = await startHarness({
      config: { chat: { allow: { staff: ['+1 555 000 2222'] } } },
      plugins: [
        definePlugin({
          name: 'staff',
          version: '1.0.0',
          setup(plugin) {
            plugin.action(command('refund', { access: 'owner' }))
            plugin.action(command('rota', { access: 'everyone' }))
          },
        }),
      ],
    })
  })
  afterEach(() => h.close())

  it('lets the listed people use every command of the plugin, owner-only ones included', async () => {
    assert.deepEqual(await h.say('!refund', { sender: ALICE }), ['refund ran'])
    assert.deepEqual(await h.say('!rota', { sender: ALICE }), ['rota ran'])
    assert.deepEqual(await h.say('!refund'), ['refund ran'], 'owners keep their access')
  })

  it('refuses everyone else, even for commands open to everyone, and says whom to ask', async () => {
    assert.deepEqual(await h.say('!rota', { sender: BOB }), ["❌ Only the bot's owners and the people they allow may use !rota; ask an owner"])
  })

  it('stops the start when the list holds something that is not a phone number', async () => {
    await assert.rejects(startHarness({ config: { chat: { allow: { staff: ['alice'] } } } }), {
      name: 'StartupError',
      message: 'Invalid configuration: chat.allow is {"staff":["alice"]}; expected plugin names mapped to lists of phone numbers, like {"groups": ["6281234567890"]}',
    })
  })

  it('grants nothing beyond that plugin, and help lists what each person may use', async () => {
    assert.deepEqual(await h.say('!creategroup Team', { sender: ALICE }), ["❌ Only the bot's owners may use !creategroup"])
    const [aliceHelp] = await h.say('!help', { sender: ALICE })
    const [bobHelp] = await h.say('!help', { sender: BOB })
    assert.match(aliceHelp ?? '', /!refund/)
    assert.doesNotMatch(bobHelp ?? '', /!refund|!rota/)
  })
})

describe('access: cooldowns', () => {
  let h: Harness
  beforeEach(async () => {
    mock.timers.enable({ apis: ['Date'], now: Date.now() })
    h = await startHarness({
      builtinPlugins: false,
      plugins: [
        definePlugin({
          name: 'games',
          version: '1.0.0',
          setup(plugin) {
            plugin.action(command('daily', { cooldown: { user: 30 } }))
            plugin.action(command('quiz', { cooldown: { chat: 90 } }))
            plugin.action(command('spin', { cooldown: { user: 5, chat: 600 }, input: { type: 'object', additionalProperties: false, required: ['bet'], properties: { bet: { type: 'integer' } } }, chat: { command: 'spin', args: ['bet'] } }))
          },
        }),
      ],
    })
  })
  afterEach(async () => {
    await h.close()
    mock.timers.reset()
  })

  it('makes a person wait between two uses, tells them how long, and lets others in meanwhile', async () => {
    assert.deepEqual(await h.say('!daily', { sender: ALICE }), ['daily ran'])
    mock.timers.tick(17_500)
    assert.deepEqual(await h.say('!daily', { sender: ALICE }), ['❌ You used !daily a moment ago; try again in 13 s'])
    assert.deepEqual(await h.say('!daily', { sender: BOB }), ['daily ran'])
    mock.timers.tick(12_500)
    assert.deepEqual(await h.say('!daily', { sender: ALICE }), ['daily ran'])
  })

  it('makes a chat wait between two uses by anyone, and leaves other chats alone', async () => {
    assert.deepEqual(await h.say('!quiz', { sender: ALICE, chat: GROUP }), ['quiz ran'])
    assert.deepEqual(await h.say('!quiz', { sender: BOB, chat: GROUP }), ['❌ !quiz was used in this chat a moment ago; try again in 2 min'])
    assert.deepEqual(await h.say('!quiz', { sender: BOB, chat: OTHER_GROUP }), ['quiz ran'])
    mock.timers.tick(90_000)
    assert.deepEqual(await h.say('!quiz', { sender: BOB, chat: GROUP }), ['quiz ran'])
  })

  it('tells the longest wait when both cooldowns run, and a mistyped command costs no cooldown', async () => {
    assert.deepEqual(await h.say('!spin lots', { sender: ALICE, chat: GROUP }), ['❌ bet must be an integer\nUsage: !spin <bet>'])
    assert.deepEqual(await h.say('!spin 5', { sender: ALICE, chat: GROUP }), ['spin ran'])
    assert.deepEqual(await h.say('!spin 5', { sender: ALICE, chat: GROUP }), ['❌ !spin was used in this chat a moment ago; try again in 10 min'])
  })

  it('exempts the owners and HTTP callers', async () => {
    assert.deepEqual(await h.say('!daily'), ['daily ran'])
    assert.deepEqual(await h.say('!daily'), ['daily ran'])
    assert.equal((await h.request('POST', '/daily')).status, 200)
    assert.equal((await h.request('POST', '/daily')).status, 200)
  })
})

describe('access: mistakes in a definition', () => {
  it('disables a plugin whose cooldown or place is malformed, saying what to write', async () => {
    const h = await startHarness({
      builtinPlugins: false,
      plugins: [
        definePlugin({ name: 'bad-cooldown', version: '1.0.0', setup: (p) => p.action(command('a', { cooldown: { user: -1 } })) }),
        definePlugin({ name: 'bad-place', version: '1.0.0', setup: (p) => p.action(command('b', { where: 'groups' as never })) }),
      ],
    })
    try {
      assert.deepEqual(
        h.runtime.plugins().map((p) => p.reason),
        [
          'setup failed: action bad-cooldown.a: cooldown.user must be a number of seconds above 0',
          "setup failed: action bad-place.b: where is 'groups'; use 'group', 'private' or 'anywhere'",
        ],
      )
    } finally {
      await h.close()
    }
  })
})
