import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { defineAction, definePlugin } from '../../core/index.js'
import { startHarness } from '../support/harness.js'

const ALICE = '15550002222@s.whatsapp.net'

const action = (name: string, handler: () => unknown) =>
  defineAction({
    name,
    summary: name,
    access: 'everyone',
    needsWhatsApp: false,
    input: { type: 'object', additionalProperties: false, properties: {} },
    chat: { command: name },
    http: { method: 'POST', path: `/${name}` },
    successMessage: `${name} done`,
    failureMessage: `Failed to ${name}`,
    handler,
    reply: () => `${name} done`,
  })

describe('a broken plugin never takes the bot down', () => {
  it('plugins that throw in setup, in a command and in an event handler leave the other plugins and the HTTP API working', async () => {
    const healthyHeard: string[] = []
    const h = await startHarness({
      builtinPlugins: false,
      plugins: [
        definePlugin({
          name: 'broken-setup',
          version: '1.0.0',
          setup(plugin) {
            plugin.action(action('never', () => 'unreachable'))
            throw new TypeError("Cannot read properties of undefined (reading 'token')")
          },
        }),
        definePlugin({
          name: 'broken-command',
          version: '1.0.0',
          setup(plugin) {
            plugin.action(
              action('crash', () => {
                throw new Error('database password is hunter2')
              }),
            )
          },
        }),
        definePlugin({
          name: 'broken-events',
          version: '1.0.0',
          setup(plugin) {
            plugin.on('message', () => {
              throw new Error('listener bug')
            })
            plugin.on('connection', () => Promise.reject(new Error('async listener bug')))
          },
        }),
        definePlugin({
          name: 'healthy',
          version: '1.0.0',
          setup(plugin) {
            plugin.action(action('work', () => ({ ok: true })))
            plugin.on('message', (message) => void healthyHeard.push(message.text))
          },
        }),
      ],
    })
    try {
      assert.deepEqual(
        h.runtime.plugins().map(({ name, state }) => [name, state]),
        [
          ['broken-setup', 'failed'],
          ['broken-command', 'running'],
          ['broken-events', 'running'],
          ['healthy', 'running'],
        ],
      )
      // The broken command answers with its failure message, never with its internals.
      assert.deepEqual(await h.say('!crash'), ['❌ Failed to crash'])
      const crashed = await h.request('POST', '/crash')
      assert.deepEqual(crashed.envelope, { status: false, code: 500, message: 'Internal server error', error: 'Failed to crash' })
      // Event handlers that throw and reject.
      await h.say('just chatting', { sender: ALICE })
      h.whatsapp.setState('connecting')
      h.whatsapp.setState('open')
      await h.runtime.idle()
      // The plugin that failed in setup left nothing behind.
      assert.equal((await h.request('POST', '/never')).status, 404)
      // Everything else still works, over both transports.
      assert.deepEqual(healthyHeard, ['just chatting'])
      assert.deepEqual(await h.say('!work'), ['work done'])
      const worked = await h.request('POST', '/work')
      assert.deepEqual(worked.envelope, { status: true, code: 200, message: 'work done', data: { ok: true } })
      const health = await h.request('GET', '/health', { auth: null })
      assert.equal(health.status, 200)
      assert.equal((health.envelope as { data: { whatsapp: string } }).data.whatsapp, 'open')
    } finally {
      await h.close()
    }
  })
})
