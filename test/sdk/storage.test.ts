import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, it } from 'node:test'
import { defineAction, definePlugin, type PluginContext, type PluginStore } from '../../core/index.js'
import { Storage } from '../../core/storage/storage.js'
import { killWriterAfter } from '../support/killed-writer.js'
import { startHarness } from '../support/harness.js'

/** A plugin that counts `!visit`s in its store, and hands its context to the test. */
function counter(name: string, contexts: Map<string, PluginContext>) {
  return definePlugin({
    name,
    version: '1.0.0',
    setup(plugin) {
      contexts.set(name, plugin)
      plugin.action(
        defineAction({
          name: 'visit',
          summary: 'Counts visits',
          access: 'everyone',
          needsWhatsApp: false,
          input: { type: 'object', properties: {} },
          chat: { command: `${name}-visit` },
          successMessage: 'Counted',
          failureMessage: 'Failed to count',
          handler: async () => ({ visits: await plugin.store.update<number>('visits', (n) => (n ?? 0) + 1) }),
          reply: (data) => `visit ${data.visits}`,
        }),
      )
    },
  })
}

const tempDir = () => mkdtempSync(path.join(tmpdir(), 'waplug-store-'))

describe('plugin storage', () => {
  it('keeps a plugin\'s values across a restart of the runtime', async () => {
    const dataDir = tempDir()
    try {
      const first = await startHarness({ builtinPlugins: false, dataDir, plugins: [counter('counter', new Map())] })
      assert.deepEqual(await first.say('!counter-visit'), ['visit 1'])
      assert.deepEqual(await first.say('!counter-visit'), ['visit 2'])
      await first.close()
      const second = await startHarness({ builtinPlugins: false, dataDir, plugins: [counter('counter', new Map())] })
      assert.deepEqual(await second.say('!counter-visit'), ['visit 3'])
      await second.close()
    } finally {
      rmSync(dataDir, { recursive: true, force: true })
    }
  })

  it('gives each plugin a namespace of its own', async () => {
    const contexts = new Map<string, PluginContext>()
    const h = await startHarness({ builtinPlugins: false, plugins: [counter('alpha', contexts), counter('beta', contexts)] })
    try {
      const alpha = contexts.get('alpha')?.store as PluginStore
      const beta = contexts.get('beta')?.store as PluginStore
      await alpha.set('token', 'alpha-secret')
      assert.equal(beta.get('token'), undefined)
      assert.equal(beta.has('token'), false)
      assert.deepEqual(beta.keys(), [])
      await beta.set('token', 'beta-own')
      assert.equal(alpha.get('token'), 'alpha-secret')
    } finally {
      await h.close()
    }
  })

  it('stores JSON values, lists keys by prefix, deletes, and refuses what is not JSON', async () => {
    const contexts = new Map<string, PluginContext>()
    const h = await startHarness({ builtinPlugins: false, plugins: [counter('json', contexts)] })
    try {
      const store = contexts.get('json')?.store as PluginStore
      const when = new Date('2024-05-01T10:00:00.000Z')
      await store.set('user:2', { name: 'Bo', tags: ['a', 'b'], nested: { ok: true, none: null }, when })
      await store.set('user:1', 42)
      await store.set('other', 'text')
      assert.deepEqual(store.get('user:2'), { name: 'Bo', tags: ['a', 'b'], nested: { ok: true, none: null }, when: '2024-05-01T10:00:00.000Z' })
      assert.deepEqual(store.keys({ prefix: 'user:' }), ['user:1', 'user:2'])
      assert.deepEqual(store.keys(), ['other', 'user:1', 'user:2'])
      await store.set('user:3', 3)
      // A page at a time: the last key of one page is where the next begins.
      assert.deepEqual(store.keys({ prefix: 'user:', limit: 2 }), ['user:1', 'user:2'])
      assert.deepEqual(store.keys({ prefix: 'user:', after: 'user:2', limit: 2 }), ['user:3'])
      assert.deepEqual(store.keys({ prefix: 'user:', after: 'user:3', limit: 2 }), [])
      assert.deepEqual(store.keys({ after: 'other' }), ['user:1', 'user:2', 'user:3'])
      const session = store.forSession('s1')
      await session.set('user:9', 9)
      await session.set('user:8', 8)
      assert.deepEqual(session.keys({ prefix: 'user:', after: 'user:8' }), ['user:9'], "a session's pages hold its own keys")
      assert.deepEqual(store.keys({ prefix: 'user:', limit: 10 }), ['user:1', 'user:2', 'user:3'], "and the plain pages none of a session's")
      assert.equal(await store.delete('user:1'), true)
      assert.equal(await store.delete('user:1'), false)
      assert.equal(store.has('user:1'), false)
      await assert.rejects(store.set('gone', undefined), { message: "plugin 'json' stored undefined at 'gone'; use store.delete('gone') to remove a value" })
      await assert.rejects(store.set('', 1), /store key that is not a non-empty string/)
    } finally {
      await h.close()
    }
  })

  it('loses no update when handlers change the same value at once', async () => {
    const contexts = new Map<string, PluginContext>()
    const h = await startHarness({ builtinPlugins: false, plugins: [counter('busy', contexts)] })
    try {
      const store = contexts.get('busy')?.store as PluginStore
      await Promise.all(Array.from({ length: 50 }, () => store.update<number>('n', (n) => (n ?? 0) + 1)))
      assert.equal(store.get('n'), 50)
    } finally {
      await h.close()
    }
  })

  it('is closed when the runtime stops, and says so to a plugin that writes late', async () => {
    const contexts = new Map<string, PluginContext>()
    const h = await startHarness({ builtinPlugins: false, plugins: [counter('late', contexts)] })
    const store = contexts.get('late')?.store as PluginStore
    await store.set('k', 1)
    await h.close()
    await assert.rejects(store.set('k', 2), { message: "the store of plugin 'late' is closed: the runtime has stopped" })
  })

  it('keeps every write that returned when the process is killed in the middle of writing', async () => {
    const directory = tempDir()
    try {
      const acknowledged = await killWriterAfter('test/fixtures/store-writer.ts', directory, 100)
      const storage = new Storage(directory)
      const store = storage.forPlugin('writer')
      for (let i = 0; i <= acknowledged; i++) {
        assert.deepEqual(store.get(`entry-${String(i).padStart(6, '0')}`), { i, text: 'x'.repeat(200) }, `write ${i} was acknowledged`)
      }
      await storage.close()
    } finally {
      rmSync(directory, { recursive: true, force: true })
    }
  })
})
