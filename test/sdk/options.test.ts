import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { pino } from 'pino'
import { defineAction, definePlugin } from '../../core/index.js'
import { captureStream } from '../support/capture.js'
import { startHarness } from '../support/harness.js'

interface WelcomeOptions {
  greeting: string
  maxPerHour: number
  apiKey: string
}

const welcome = definePlugin<WelcomeOptions>({
  name: 'welcome',
  version: '1.0.0',
  options: {
    type: 'object',
    additionalProperties: false,
    required: ['apiKey'],
    properties: {
      greeting: { type: 'string', title: 'Greeting', default: 'Welcome' },
      maxPerHour: { type: 'integer', minimum: 1, default: 10 },
      apiKey: { type: 'string', minLength: 8 },
    },
  },
  setup(plugin) {
    // Typed: a typo such as plugin.options.greting does not compile.
    const line = `${plugin.options.greeting.toUpperCase()} (${plugin.options.maxPerHour}/h)`
    plugin.action(
      defineAction({
        name: 'greet',
        summary: 'Greets',
        access: 'everyone',
        needsWhatsApp: false,
        input: { type: 'object', properties: {} },
        chat: { command: 'greet' },
        http: { method: 'GET', path: '/greet' },
        successMessage: 'Greeted',
        failureMessage: 'Failed to greet',
        handler: () => ({ line, options: plugin.options }),
        reply: (data) => data.line,
      }),
    )
  },
})

const other = definePlugin({ name: 'other', version: '1.0.0', setup: () => undefined })

describe('plugin options', () => {
  it('gives the plugin its options from config, with the schema\'s defaults filled in', async () => {
    const h = await startHarness({ builtinPlugins: false, plugins: [welcome], config: { pluginOptions: { welcome: { greeting: 'hello', apiKey: 'k-12345678' } } } })
    try {
      assert.deepEqual(await h.say('!greet'), ['HELLO (10/h)'])
      const { envelope } = await h.request('GET', '/greet')
      assert.deepEqual((envelope as { data: unknown }).data, { line: 'HELLO (10/h)', options: { greeting: 'hello', maxPerHour: 10, apiKey: 'k-12345678' } })
      assert.deepEqual(h.runtime.config.pluginOptions.welcome, { greeting: 'hello', apiKey: 'k-12345678' }, 'the configuration itself is left as written')
    } finally {
      await h.close()
    }
  })

  const wrong: [string, Record<string, unknown>, string][] = [
    ['a wrong type', { apiKey: 'k-12345678', maxPerHour: 'lots' }, 'its options are invalid: pluginOptions.welcome.maxPerHour must be an integer'],
    ['a value out of range', { apiKey: 'k-12345678', maxPerHour: 0 }, 'its options are invalid: pluginOptions.welcome.maxPerHour must be at least 1'],
    ['a missing option', {}, 'its options are invalid: pluginOptions.welcome.apiKey is required'],
    ['a titled option', { apiKey: 'k-12345678', greeting: 5 }, 'its options are invalid: pluginOptions.welcome.greeting must be a string'],
    ['an unknown option', { apiKey: 'k-12345678', colour: 'red' }, "its options are invalid: Unknown field 'pluginOptions.welcome.colour'; the fields are: greeting, maxPerHour, apiKey"],
  ]
  for (const [what, options, reason] of wrong) {
    it(`disables the plugin for ${what}, naming plugin, key and problem, and runs the others`, async () => {
      const { stream, text } = captureStream()
      const h = await startHarness({ builtinPlugins: false, plugins: [welcome, other], logger: pino({ level: 'error' }, stream), config: { pluginOptions: { welcome: options } } })
      try {
        assert.deepEqual(
          h.runtime.plugins().map(({ name, state, reason }) => ({ name, state, reason })),
          [
            { name: 'welcome', state: 'failed', reason },
            { name: 'other', state: 'running', reason: undefined },
          ],
        )
        assert.match(text(), new RegExp(`plugin 'welcome' is disabled: ${reason.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`))
        assert.equal((await h.request('GET', '/greet')).status, 404)
        assert.equal((await h.request('GET', '/health', { auth: null })).status, 200)
      } finally {
        await h.close()
      }
    })
  }

  it('takes options from PLUGIN_OPTIONS (JSON) over the files, key by key', async () => {
    const h = await startHarness({
      builtinPlugins: false,
      plugins: [welcome],
      config: { pluginOptions: { welcome: { greeting: 'from file', apiKey: 'k-12345678' } } },
      env: { PLUGIN_OPTIONS: '{"welcome": {"maxPerHour": 3}}' },
    })
    try {
      assert.deepEqual(await h.say('!greet'), ['FROM FILE (3/h)'])
    } finally {
      await h.close()
    }
  })

  it('stops the start when PLUGIN_OPTIONS is not a JSON object', async () => {
    await assert.rejects(startHarness({ builtinPlugins: false, plugins: [welcome], env: { PLUGIN_OPTIONS: '{welcome: 1}' } }), {
      name: 'StartupError',
      message: 'Invalid configuration: PLUGIN_OPTIONS (pluginOptions) is "{welcome: 1}"; expected plugin names mapped to objects of options, like {"welcome": {"greeting": "Hi"}}',
    })
  })

  it('warns about options for a plugin that is not loaded, a likely typo', async () => {
    const { stream, text } = captureStream()
    const h = await startHarness({ builtinPlugins: false, plugins: [other], logger: pino({ level: 'warn' }, stream), config: { pluginOptions: { welcom: {} } } })
    await h.close()
    assert.match(text(), /pluginOptions has options for 'welcom', which is not a loaded plugin; check the name/)
  })
})
