// The kit with several numbers: a bot started with more sessions, contacts
// writing to the one they choose, and the answer coming from that number.
import assert from 'node:assert/strict'
import { it } from 'node:test'
import { defineAction, definePlugin } from 'waplug'
import { startTestBot } from 'waplug/testing'

const whoami = definePlugin({
  name: 'whoami',
  version: '1.0.0',
  setup(plugin) {
    plugin.action(
      defineAction<Record<string, never>, { session: string; number: string }>({
        name: 'whoami',
        summary: 'Tell which number answers',
        access: 'everyone',
        input: { type: 'object', additionalProperties: false, properties: {} },
        chat: { command: 'whoami' },
        successMessage: 'Told',
        failureMessage: 'Failed to tell',
        handler: (_input, { caller, whatsapp }) => ({ session: caller.session, number: whatsapp.me?.jid ?? '' }),
        reply: ({ session, number }) => `${session} ${number}`,
      }),
    )
  },
})

it('starts a bot with several sessions; a contact writes to the one it names and that number answers', async (t) => {
  const bot = await startTestBot(t, { plugins: [whoami], sessions: ['sales'] })
  const sales = bot.session('sales')
  assert.notEqual(sales.jid, bot.jid)
  assert.deepEqual(await bot.say('!whoami', { to: 'sales' }), [`sales ${sales.jid}`])
  assert.equal(bot.messages().at(-1)?.from, sales.jid)
  assert.deepEqual(await bot.say('!whoami'), [`default ${bot.jid}`])
  assert.equal(bot.messages().at(-1)?.from, bot.jid)
  assert.throws(() => bot.session('support'), /the bot has no session 'support'; start it with startTestBot\(\{ sessions: \['support'\] \}\)/)
  await assert.rejects(bot.say('!whoami', { to: 'support' }), /no session 'support'/)
})
