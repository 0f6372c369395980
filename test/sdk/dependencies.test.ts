import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { defineAction, definePlugin, inject, injectable, token, type PluginDefinition } from '../../core/index.js'
import { startHarness } from '../support/harness.js'

const plugin = (name: string, extra: Partial<PluginDefinition> = {}) => definePlugin({ name, version: '1.0.0', setup: () => undefined, ...extra })

interface Greeter {
  greet(name: string): string
}
const GreeterToken = token<Greeter>('greeter')
const SecretToken = token<string>('secret')

describe('plugin dependencies', () => {
  it('sets up and starts each plugin after the plugins it depends on, and stops in reverse', async () => {
    const order: string[] = []
    const track = (name: string, dependsOn: string[] = []) =>
      plugin(name, {
        dependsOn,
        setup: () => void order.push(`setup ${name}`),
        start: () => void order.push(`start ${name}`),
        stop: () => void order.push(`stop ${name}`),
      })
    const h = await startHarness({ builtinPlugins: false, plugins: [track('c', ['b']), track('b', ['a']), track('a'), track('loner')] })
    await h.close()
    assert.deepEqual(order, ['setup a', 'setup b', 'setup c', 'setup loner', 'start a', 'start b', 'start c', 'start loner', 'stop loner', 'stop c', 'stop b', 'stop a'])
  })

  it('stops the start when a dependency is missing, naming both plugins', async () => {
    await assert.rejects(startHarness({ builtinPlugins: false, plugins: [plugin('welcome', { dependsOn: ['storage-kit'] })] }), {
      name: 'StartupError',
      message: "Plugin 'welcome' depends on 'storage-kit', which is not loaded; add 'storage-kit' to plugins, or remove it from the dependsOn of 'welcome'",
    })
  })

  it('stops the start when a dependency is turned off by disabledPlugins', async () => {
    await assert.rejects(startHarness({ config: { disabledPlugins: ['groups'] }, plugins: [plugin('reports', { dependsOn: ['groups'] })] }), {
      name: 'StartupError',
      message: "Plugin 'reports' depends on 'groups', which disabledPlugins turns off; enable 'groups' or disable 'reports' too",
    })
  })

  it('stops the start when dependencies form a circle, naming the plugins in it', async () => {
    await assert.rejects(startHarness({ builtinPlugins: false, plugins: [plugin('a', { dependsOn: ['b'] }), plugin('b', { dependsOn: ['c'] }), plugin('c', { dependsOn: ['a'] })] }), {
      name: 'StartupError',
      message: "Plugins depend on each other in a circle: 'a' → 'b' → 'c' → 'a'; remove one of these dependsOn entries",
    })
  })

  it('disables the plugins that depend on a plugin that failed, and runs the rest', async () => {
    const h = await startHarness({
      builtinPlugins: false,
      plugins: [
        plugin('base', {
          setup: () => {
            throw new Error('no database')
          },
        }),
        plugin('middle', { dependsOn: ['base'] }),
        plugin('top', { dependsOn: ['middle'] }),
        plugin('late-base', { start: () => Promise.reject(new Error('port taken')) }),
        plugin('late-top', { dependsOn: ['late-base'] }),
        plugin('independent'),
      ],
    })
    try {
      assert.deepEqual(
        h.runtime.plugins().map(({ name, state, reason }) => [name, state, reason]),
        [
          ['base', 'failed', 'setup failed: no database'],
          ['middle', 'failed', "depends on 'base', which failed"],
          ['top', 'failed', "depends on 'middle', which failed"],
          ['late-base', 'failed', 'start failed: port taken'],
          ['late-top', 'failed', "depends on 'late-base', which failed"],
          ['independent', 'running', undefined],
        ],
      )
    } finally {
      await h.close()
    }
  })
})

describe('sharing services between plugins', () => {
  @injectable()
  class Welcomer {
    constructor(@inject(GreeterToken) private readonly greeter: Greeter) {}
    welcome(name: string): string {
      return `${this.greeter.greet(name)}, welcome aboard`
    }
  }

  const provider = plugin('greetings', {
    setup(p) {
      p.export(GreeterToken, { greet: (name) => `Hello ${name}` })
      p.container.register(SecretToken, { useValue: 'private detail' })
    },
  })

  it('gives a dependent the exported service by its typed token, also through its container', async () => {
    const h = await startHarness({
      builtinPlugins: false,
      plugins: [
        definePlugin({
          name: 'onboarding',
          version: '1.0.0',
          dependsOn: ['greetings'],
          setup(p) {
            const greeter = p.use(GreeterToken)
            p.container.register(Welcomer, { useClass: Welcomer })
            const welcomer = p.container.resolve(Welcomer)
            p.action(
              defineAction<{ name: string }, { text: string }>({
                name: 'welcome',
                summary: 'Welcomes',
                access: 'everyone',
                needsWhatsApp: false,
                input: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } },
                chat: { command: 'welcome', args: ['name'] },
                successMessage: 'Welcomed',
                failureMessage: 'Failed to welcome',
                handler: ({ name }) => ({ text: `${greeter.greet(name)} / ${welcomer.welcome(name)}` }),
                reply: (data) => data.text,
              }),
            )
          },
        }),
        provider,
      ],
    })
    try {
      assert.deepEqual(await h.say('!welcome Ana'), ['Hello Ana / Hello Ana, welcome aboard'])
    } finally {
      await h.close()
    }
  })

  const consumer = (name: string, dependsOn: string[], wanted: symbol) => plugin(name, { dependsOn, setup: (p) => void p.use(wanted) })

  it('keeps what a plugin did not export private, and says who would have to export it', async () => {
    const h = await startHarness({ builtinPlugins: false, plugins: [provider, consumer('snoop', ['greetings'], SecretToken)] })
    try {
      assert.equal(h.runtime.plugins()[1]?.reason, "setup failed: plugin 'snoop' asked for 'secret', which is private to plugin 'greetings'; 'greetings' has to export it (plugin.export(token))")
    } finally {
      await h.close()
    }
  })

  it('refuses an exported service to a plugin that does not depend on its provider', async () => {
    const h = await startHarness({ builtinPlugins: false, plugins: [provider, consumer('sneaky', [], GreeterToken)] })
    try {
      assert.equal(h.runtime.plugins()[1]?.reason, "setup failed: plugin 'sneaky' uses 'greeter' from plugin 'greetings' without depending on it; add 'greetings' to its dependsOn")
    } finally {
      await h.close()
    }
  })

  it('says so when no plugin exports the token, and when a plugin exports what it never provided', async () => {
    const h = await startHarness({
      builtinPlugins: false,
      plugins: [consumer('lonely', [], GreeterToken), plugin('empty', { setup: (p) => p.export(SecretToken) })],
    })
    try {
      assert.deepEqual(
        h.runtime.plugins().map((p) => p.reason),
        [
          "setup failed: plugin 'lonely' asked for 'greeter', which no plugin exports; is the plugin that provides it loaded and listed in dependsOn?",
          "setup failed: plugin 'empty' exports 'secret' without providing it; register it in plugin.container first, or pass the value: plugin.export(token, value)",
        ],
      )
    } finally {
      await h.close()
    }
  })
})
