// Chat and events with several numbers: a command is handled by the session
// that received it and answered from that number, with that session's
// prefixes, owners and plugins; plugins' handlers learn which session an
// event came from.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { definePlugin, type EventContext, type IncomingMessage } from '../../core/index.js'
import { OWNER, startHarness, type Harness } from '../support/harness.js'

const SHOP_OWNER = '15550003333@s.whatsapp.net'

describe('chat and events per session', () => {
  let h: Harness
  const heard: { session: string; clientSession: string; me: string | undefined; messageSession: string | undefined; text: string }[] = []
  const listener = definePlugin({
    name: 'listener',
    version: '1.0.0',
    setup(plugin) {
      plugin.on('message', (message: IncomingMessage, ctx: EventContext) => {
        heard.push({ session: ctx.session, clientSession: ctx.whatsapp.session, me: ctx.whatsapp.me?.jid, messageSession: message.session, text: message.text })
      })
    },
  })

  before(async () => {
    h = await startHarness({ plugins: [listener] })
    await h.request('POST', '/sessions', { body: { id: 'shop', prefixes: ['#'], owners: [SHOP_OWNER] } })
    await h.request('POST', '/sessions', { body: { id: 'quiet', disabled_plugins: ['groups', 'listener'] } })
  })
  after(() => h.close())

  it('answers a command from the number that received it, with that session’s prefix', async () => {
    const shop = h.session('shop')
    const defaultSent = h.whatsapp.sent.length
    const replies = await h.say('#help', { session: 'shop', sender: SHOP_OWNER, chat: SHOP_OWNER })
    assert.equal(replies.length, 1)
    assert.match(replies[0] ?? '', /#groups/, 'help teaches the session’s own prefix')
    assert.equal(shop.sent.at(-1)?.chat, SHOP_OWNER)
    assert.equal(h.whatsapp.sent.length, defaultSent, 'the default number said nothing')
    // '!' is not the shop's prefix: a plain message there.
    assert.deepEqual(await h.say('!help', { session: 'shop', sender: SHOP_OWNER, chat: SHOP_OWNER }), [])
    assert.equal((await h.say('!help')).length, 1, 'default keeps the global prefix')
  })

  it("owners are the session's own: the global owner is a stranger to the shop", async () => {
    const [asStranger] = await h.say('#creategroup Team', { session: 'shop', sender: OWNER, chat: OWNER })
    assert.match(asStranger ?? '', /Only the bot's owners may use #creategroup/)
    const [asOwner] = await h.say('#creategroup Team 15550002222', { session: 'shop', sender: SHOP_OWNER, chat: SHOP_OWNER })
    assert.match(asOwner ?? '', /Created "Team"/)
    assert.deepEqual([...h.session('shop').known.values()].map((g) => g.subject), ['Team'])
  })

  it('a session that turned a plugin off has neither its commands nor its routes, and its handlers do not hear it', async () => {
    const [reply] = await h.say('!groups', { session: 'quiet' })
    assert.match(reply ?? '', /I don't know !groups/)
    const route = await h.request('GET', '/sessions/quiet/groups')
    assert.equal(route.status, 404)
    assert.match((route.envelope as { error: string }).error, /turned off for session 'quiet'/)
    assert.ok(!heard.some((event) => event.session === 'quiet'))
  })

  it("event handlers get the session and its connection: ctx.session, ctx.whatsapp, and the message's session", async () => {
    heard.length = 0
    await h.say('hello shop', { session: 'shop', sender: SHOP_OWNER, chat: SHOP_OWNER })
    await h.say('hello default')
    assert.deepEqual(heard, [
      { session: 'shop', clientSession: 'shop', me: h.session('shop').me?.jid, messageSession: 'shop', text: 'hello shop' },
      { session: 'default', clientSession: 'default', me: h.whatsapp.me?.jid, messageSession: 'default', text: 'hello default' },
    ])
  })

  it('cooldowns and confirmations are per session', async () => {
    // A destructive command asked on one number is not confirmed on another.
    const group = (await h.request('POST', '/groups', { body: { name: 'Leave me', participants: ['15550002222'] } })).envelope as { data: { jid: string } }
    const [question] = await h.say(`!leave ${group.data.jid}`)
    assert.match(question ?? '', /confirm/)
    const [elsewhere] = await h.say('#confirm', { session: 'shop', sender: OWNER, chat: OWNER })
    assert.match(elsewhere ?? '', /Nothing to confirm/)
  })
})
