// A plugin sees only what is meant for it: its own store, a WhatsApp client
// without lifecycle, the configuration without secrets. Each way it could
// reach further fails with an error that says what to use instead, and the
// runtime keeps working.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { Tokens, definePlugin, type Config, type PluginContext } from '../../core/index.js'
import { whatsAppClient } from '../../core/sessions/whatsapp-client.js'
import { FakeWhatsApp } from '../support/fake-whatsapp.js'
import { API_KEY, startHarness, type Harness } from '../support/harness.js'

describe('plugin isolation', () => {
  let h: Harness
  let context: PluginContext | undefined
  const snoop = definePlugin({
    name: 'snoop',
    version: '1.0.0',
    async setup(plugin) {
      context = plugin
    },
  })
  const victim = definePlugin({
    name: 'victim',
    version: '1.0.0',
    async setup(plugin) {
      await plugin.store.set('secret', 'only mine')
    },
  })

  before(async () => {
    h = await startHarness({ plugins: [victim, snoop], builtinPlugins: false })
  })
  after(() => h.close())

  it("cannot resolve the runtime's storage, plugin host, sessions or transports from its container", () => {
    const plugin = context as PluginContext
    for (const [name, token] of [
      ['Storage', Tokens.Storage],
      ['Plugins', Tokens.Plugins],
      ['Sessions', Tokens.Sessions],
      ['Http', Tokens.Http],
      ['Chat', Tokens.Chat],
      ['Events', Tokens.Events],
      ['Invoker', Tokens.Invoker],
      ['Actions', Tokens.Actions],
    ] as const) {
      assert.throws(() => plugin.container.resolve(token), new RegExp(`Plugins cannot resolve the runtime's ${name}`), name)
    }
  })

  it("cannot read another plugin's store", () => {
    const plugin = context as PluginContext
    assert.equal(plugin.store.get('secret'), undefined)
    assert.deepEqual(plugin.store.keys(), [])
  })

  it('cannot log out, stop or start a session, through its client or the raw socket', async () => {
    const plugin = context as PluginContext
    const client = plugin.whatsapp as unknown as Record<string, () => Promise<void>>
    await assert.rejects(client.logout!(), /Plugins cannot log out the WhatsApp session 'default'.*POST \/sessions\/default\/logout/)
    await assert.rejects(client.stop!(), /Plugins cannot stop the WhatsApp session 'default'/)
    await assert.rejects(client.start!(), /Plugins cannot start/)
    const injected = plugin.container.resolve<Record<string, () => Promise<void>>>(Tokens.WhatsApp)
    await assert.rejects(injected.logout!(), /Plugins cannot log out/)
    assert.ok(!h.whatsapp.calls.some((call) => call.op === 'logout'))
    assert.equal(h.whatsapp.state, 'open')
    assert.equal((await h.request('GET', '/session')).status, 200, 'the runtime still serves')

    // The raw socket is there for what the SDK does not cover, but not to end the connection.
    const fake = new FakeWhatsApp()
    const raw = { logout: async () => {}, end: async () => {}, user: { id: 'bot' } }
    Object.defineProperty(fake, 'socket', { value: raw })
    const socket = whatsAppClient('sales', fake).socket as unknown as typeof raw
    assert.equal(socket.user.id, 'bot')
    assert.throws(() => socket.logout, /Plugins cannot log out the WhatsApp session 'sales'/)
    assert.throws(() => socket.end, /Plugins cannot end the WhatsApp session 'sales'/)
  })

  it('gets the configuration without the API keys and JWT secret', () => {
    const config = (context as PluginContext).container.resolve<Config>(Tokens.Config)
    assert.deepEqual(config.http.apiKeys, [])
    assert.equal(config.http.jwtSecret, null)
    assert.ok(!JSON.stringify(config).includes(API_KEY))
  })

  it('reaches the sessions it serves through plugin.sessions', async () => {
    await h.request('POST', '/sessions', { body: { id: 'sales' } })
    await h.request('POST', '/sessions', { body: { id: 'private', disabled_plugins: ['snoop'] } })
    const plugin = context as PluginContext
    assert.deepEqual(plugin.sessions.list().map((s) => s.id), ['default', 'sales'])
    assert.equal(plugin.sessions.get('sales')?.me?.jid, h.session('sales').me?.jid)
    assert.equal(plugin.sessions.get('private'), undefined)
  })
})
