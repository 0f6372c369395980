import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, it } from 'node:test'
import { defineAction, definePlugin, type PluginDefinition } from '../../core/index.js'
import { resolve } from '../../core/container.js'
import { Tokens } from '../../core/tokens.js'
import { startHarness } from '../support/harness.js'
import { built } from '../support/package.js'

const echo = (command: string, path?: string) =>
  defineAction<{ text?: string }, { text: string }>({
    name: command,
    summary: `Echo (${command})`,
    access: 'everyone',
    needsWhatsApp: false,
    input: { type: 'object', properties: { text: { type: 'string' } } },
    chat: { command, args: ['...text'] },
    ...(path ? { http: { method: 'POST' as const, path } } : {}),
    successMessage: 'Echoed',
    failureMessage: 'Failed to echo',
    handler: (input) => ({ text: input.text ?? '' }),
    reply: (data) => data.text,
  })

const plugin = (name: string, setup: PluginDefinition['setup'], extra: Partial<PluginDefinition> = {}) => definePlugin({ name, version: '1.0.0', setup, ...extra })

describe('plugin host', () => {
  it('disables a plugin whose setup throws, reports it by name and reason, and runs the rest', async () => {
    const h = await startHarness({
      builtinPlugins: false,
      plugins: [
        plugin('broken', () => {
          throw new Error('the weather API key is missing')
        }),
        plugin('works', (p) => p.action(echo('echo', '/echo'))),
      ],
    })
    try {
      assert.deepEqual(
        h.runtime.plugins().map(({ name, state, reason }) => ({ name, state, reason })),
        [
          { name: 'broken', state: 'failed', reason: 'setup failed: the weather API key is missing' },
          { name: 'works', state: 'running', reason: undefined },
        ],
      )
      assert.deepEqual(await h.say('!echo hi there'), ['hi there'])
      const { status } = await h.request('POST', '/echo', { body: { text: 'x' } })
      assert.equal(status, 200)
    } finally {
      await h.close()
    }
  })

  it('does not keep half the actions of a plugin that failed during setup', async () => {
    const h = await startHarness({
      builtinPlugins: false,
      plugins: [
        plugin('half', (p) => {
          p.action(echo('first'))
          throw new Error('boom after the first action')
        }),
      ],
    })
    try {
      assert.deepEqual(await h.say('!first x'), ["I don't know !first. Send !help to see what I can do."])
    } finally {
      await h.close()
    }
  })

  it('disables a plugin whose action is malformed, saying what to fix', async () => {
    const h = await startHarness({ builtinPlugins: false, plugins: [plugin('typo', (p) => p.action(echo('!bang')))] })
    try {
      assert.match(h.runtime.plugins()[0]?.reason ?? '', /command '!bang' must be lower-case .* without the prefix \(write 'creategroup', not '!creategroup'\)/)
    } finally {
      await h.close()
    }
  })

  it('stops the start when two plugins claim the same command, naming both', async () => {
    await assert.rejects(
      startHarness({ builtinPlugins: false, plugins: [plugin('one', (p) => p.action(echo('hello'))), plugin('two', (p) => p.action(echo('hello')))] }),
      { name: 'StartupError', message: "Command 'hello' is claimed by both plugin 'one' and plugin 'two'; disable one of them (disabledPlugins) or rename the command" },
    )
  })

  it('stops the start when two plugins claim the same route, naming both', async () => {
    await assert.rejects(
      startHarness({ builtinPlugins: false, plugins: [plugin('one', (p) => p.action(echo('a', '/x/:id'))), plugin('two', (p) => p.action(echo('b', '/x/:jid')))] }),
      /Route POST \/x\/:param is claimed by both plugin 'one' and plugin 'two'/,
    )
  })

  it('skips plugins named in disabledPlugins', async () => {
    const h = await startHarness({ config: { disabledPlugins: ['groups'] } })
    try {
      assert.deepEqual(h.runtime.plugins().map((p) => p.name), ['help', 'messages'])
      assert.equal((await h.request('POST', '/groups', { body: { name: 'x' } })).status, 404)
    } finally {
      await h.close()
    }
  })

  it('reports a plugin path that cannot be loaded and keeps going', async () => {
    const h = await startHarness({ config: { plugins: ['./no/such/plugin'] } })
    try {
      const failed = h.runtime.plugins().find((p) => p.state === 'failed')
      assert.match(failed?.reason ?? '', /no plugin at .*no\/such\/plugin/)
      assert.equal(h.runtime.plugins().filter((p) => p.state === 'running').length, 3, 'the three built-in plugins')
    } finally {
      await h.close()
    }
  })

  it('names the file, line and column of a TypeScript plugin that does not compile, and puts the reason in /health', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'waplug-broken-'))
    writeFileSync(path.join(dir, 'index.ts'), "export default {\n  name: 'broken',\n  setup( => {},\n}\n")
    const h = await startHarness({ config: { plugins: [dir] } })
    try {
      const reason = `cannot be loaded: ${path.join(dir, 'index.ts')}:3:10: Expected identifier but found "=>"`
      assert.equal(h.runtime.plugins().find((p) => p.state === 'failed')?.reason, reason)
      const health = await h.request('GET', '/health', { auth: null })
      assert.deepEqual((health.envelope as { data: { plugins: unknown[] } }).data.plugins, [
        { name: 'groups', state: 'running' },
        { name: 'help', state: 'running' },
        { name: 'messages', state: 'running' },
        { name: dir, state: 'failed', reason },
      ])
      // The same from the compiled runtime (npm start), where tsx is registered only for the plugin.
      const script = `const { loadPlugin } = await import(${JSON.stringify(built('core/plugins/loader.js'))}); process.stdout.write((await loadPlugin(${JSON.stringify(dir)})).error)`
      const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 30_000 })
      assert.equal(run.stdout, reason, run.stderr)
    } finally {
      await h.close()
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('stops plugins in reverse order and does not wait past the time limit for a stuck one', async () => {
    const order: string[] = []
    const h = await startHarness({
      builtinPlugins: false,
      config: { pluginStopTimeoutMs: 100 },
      plugins: [
        plugin('first', () => undefined, { stop: () => void order.push('first') }),
        plugin('stuck', () => undefined, { stop: () => new Promise<void>(() => order.push('stuck')) }),
        plugin('last', () => undefined, { stop: () => void order.push('last') }),
      ],
    })
    const started = Date.now()
    await h.close()
    assert.deepEqual(order, ['last', 'stuck', 'first'])
    assert.ok(Date.now() - started < 2000)
  })

  it('a handler that throws answers 500 with the failure message and leaves the runtime serving', async () => {
    const explode = defineAction({
      name: 'explode',
      summary: 'Fails',
      access: 'everyone',
      needsWhatsApp: false,
      input: { type: 'object' },
      chat: { command: 'explode' },
      http: { method: 'POST', path: '/explode' },
      successMessage: 'never',
      failureMessage: 'Failed to explode',
      handler: () => {
        throw new Error('secret internal detail')
      },
    })
    const h = await startHarness({ builtinPlugins: false, plugins: [plugin('bad', (p) => p.action(explode)), plugin('good', (p) => p.action(echo('echo')))] })
    try {
      const { envelope } = await h.request('POST', '/explode')
      assert.deepEqual(envelope, { status: false, code: 500, message: 'Internal server error', error: 'Failed to explode' })
      assert.deepEqual(await h.say('!explode'), ['❌ Failed to explode'])
      assert.deepEqual(await h.say('!echo still here'), ['still here'])
    } finally {
      await h.close()
    }
  })
})

describe('dependency injection', () => {
  it('resolves every registered token, and two runtimes share no service', async () => {
    const a = await startHarness()
    const b = await startHarness()
    try {
      for (const [name, key] of Object.entries(Tokens)) {
        assert.ok(resolve<unknown>(a.runtime.container, key) !== undefined, name)
      }
      assert.notEqual(resolve(a.runtime.container, Tokens.Actions), resolve(b.runtime.container, Tokens.Actions))
      assert.equal(resolve(a.runtime.container, Tokens.Invoker), resolve(a.runtime.container, Tokens.Invoker))
    } finally {
      await a.close()
      await b.close()
    }
  })
})
