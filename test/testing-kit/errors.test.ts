import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { defineAction, definePlugin } from 'waplug'
import { startTestBot } from 'waplug/testing'

/** `!mute` answers only when its time limit aborts it: the chat router replies once the handler returns. */
const stuck = definePlugin({
  name: 'stuck',
  version: '1.0.0',
  setup(plugin) {
    plugin.action(
      defineAction({
        name: 'mute',
        summary: 'Never answer',
        access: 'everyone',
        needsWhatsApp: false,
        input: { type: 'object', properties: {} },
        chat: { command: 'mute' },
        successMessage: 'Muted',
        failureMessage: 'Failed to mute',
        handler: (_input, { logger, signal }) => {
          logger.warn('mute is thinking about it')
          return new Promise((resolve) => signal.addEventListener('abort', () => resolve({})))
        },
      }),
    )
  },
})

describe('waplug/testing: errors that say what happened', () => {
  it('a say with no reply names the message, the wait, what the bot last said and what was logged', async (t) => {
    const bot = await startTestBot(t, { plugins: [stuck], config: { actions: { timeoutMs: 1000 } } })
    const alice = bot.contact('Alice')
    assert.deepEqual(await bot.say('!ping', { from: alice }), ['pong'])
    await assert.rejects(bot.say('!mute', { from: alice, timeoutMs: 400 }), {
      message: [
        '"!mute" from Alice in a private chat got no reply within 400 ms.',
        'The bot\'s last message in that chat: "pong"',
        'The runtime logged:',
        '  warn action=stuck.mute: mute is thinking about it',
      ].join('\n'),
    })
  })

  it('in a group, says that the command does not exist and which ones do', async (t) => {
    const bot = await startTestBot(t, { plugins: [stuck], replyTimeoutMs: 300 })
    const group = bot.group('Team')
    await assert.rejects(bot.say('!pong', { in: group }), {
      message: [
        '"!pong" from Owner in "Team" got no reply within 300 ms.',
        'No plugin has the command !pong (in groups the bot stays quiet about unknown commands); the commands are: !help, !mute, !ping.',
        'The bot has not written in that chat.',
      ].join('\n'),
    })
    await assert.rejects(bot.say('hello', { in: group }), /^Error: "hello" from Owner in "Team" got no reply within 300 ms\.\nIt does not start with a command prefix \(!\), so it is not a command\./)
  })

  it('refuses to write in a group the sender is not in', async (t) => {
    const bot = await startTestBot(t)
    const group = bot.group('Team')
    await assert.rejects(bot.say('!ping', { from: bot.contact('Mallory'), in: group }), { message: 'Mallory is not a member of "Team", so cannot write there; add them first' })
  })

  it('send delivers a message that gets no reply, without waiting for one', async (t) => {
    const bot = await startTestBot(t, { replyTimeoutMs: 300 })
    await bot.send('just chatting')
    await assert.rejects(bot.nextMessage(), { message: 'The bot sent no new message within 300 ms.\nIt has sent nothing yet.' })
  })

  it('startTestBot fails with the reason of a plugin that cannot start', async () => {
    const broken = definePlugin({
      name: 'broken',
      version: '1.0.0',
      setup() {
        throw new Error('options.greeting is required')
      },
    })
    await assert.rejects(startTestBot({ plugins: [broken] }), { message: "Plugin 'broken' did not start: setup failed: options.greeting is required" })
    await assert.rejects(startTestBot({ builtins: ['nope'] }), { message: "There is no built-in plugin 'nope'; there are: groups, help, messages" })
  })
})
