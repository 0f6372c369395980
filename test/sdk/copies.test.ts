// One process, two copies of waplug: the runtime from its sources (as in these
// tests and `npm run dev`) and a plugin written against the compiled package,
// as one installed by package name gets it. What passes between them must hold.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { pathToFileURL } from 'node:url'
import * as sources from '../../core/index.js'
import { startHarness } from '../support/harness.js'
import { built } from '../support/package.js'

const compiled = (await import(pathToFileURL(built('core/index.js')).href)) as typeof sources
const { Tokens, WaplugError, WhatsAppError, defineAction, definePlugin, inject, injectable, notFound } = compiled

@injectable()
class Settings {
  constructor(@inject(Tokens.Config) readonly config: sources.Config) {}
}

const plugin = definePlugin({
  name: 'compiled',
  version: '1.0.0',
  setup(context) {
    const settings = context.container.resolve(Settings)
    context.action(
      defineAction<{ name: string }, { prefixes: string[] }>({
        name: 'thing',
        summary: 'Finds a thing',
        access: 'everyone',
        needsWhatsApp: false,
        input: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } },
        http: { method: 'GET', path: '/thing/:name' },
        chat: { command: 'thing', args: ['name'] },
        successMessage: 'Found',
        failureMessage: 'Failed to find',
        handler({ name }) {
          if (name === 'nothing') throw notFound('No such thing')
          return { prefixes: settings.config.chat.prefixes }
        },
        reply: ({ prefixes }) => prefixes.join(' '),
      }),
    )
  },
})

describe('two copies of waplug in one process: runtime from the sources, plugin from dist/', () => {
  it('are two copies', () => {
    assert.notEqual(compiled.definePlugin, sources.definePlugin)
    assert.notEqual(WaplugError, sources.WaplugError)
  })

  it("answers the plugin's notFound() as a 404, over HTTP and in chat, not as a failure of its own", async () => {
    const h = await startHarness({ builtinPlugins: false, plugins: [plugin] })
    try {
      const { status, envelope } = await h.request('GET', '/thing/nothing')
      assert.deepEqual([status, envelope], [404, { status: false, code: 404, message: 'Not found', error: 'No such thing' }])
      assert.deepEqual(await h.say('!thing nothing'), ['❌ No such thing'])
    } finally {
      await h.close()
    }
  })

  it("injects the runtime's services into the plugin's @inject(Tokens.Config)", async () => {
    const h = await startHarness({ builtinPlugins: false, plugins: [plugin], config: { chat: { prefixes: ['!', '/'] } } })
    try {
      assert.deepEqual(await h.say('/thing box'), ['! /'])
    } finally {
      await h.close()
    }
  })

  it("matches either copy's errors with instanceof, and leaves a plugin's own error subclass to itself", () => {
    assert.ok(new sources.WhatsAppError('not-found', 'gone') instanceof WhatsAppError)
    assert.ok(notFound('gone') instanceof sources.WaplugError)
    assert.ok(!(new Error('gone') instanceof WaplugError))
    class Gone extends WaplugError {}
    assert.ok(new Gone(404, 'gone') instanceof sources.WaplugError)
    assert.ok(new Gone(404, 'gone') instanceof Gone)
    assert.ok(!(notFound('gone') instanceof Gone))
  })
})
