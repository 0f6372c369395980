import assert from 'node:assert/strict'
import { cpSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { after, before, describe, it } from 'node:test'
import { WAPLUG_VERSION, definePlugin } from '../../core/index.js'
import { compatibilityProblem } from '../../core/plugins/compatibility.js'
import { startHarness } from '../support/harness.js'
import { linkWaplug, REPO } from '../support/package.js'

const fixtures = path.join(REPO, 'test', 'fixtures')

/**
 * A bot's folder as a user would have it: waplug and two plugin packages
 * installed in node_modules, and a plugin of their own under my-plugins/.
 */
function botFolder(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'waplug-bot-'))
  linkWaplug(dir)
  for (const name of ['waplug-plugin-shout-js', 'waplug-plugin-shout-ts']) {
    cpSync(path.join(fixtures, 'packages', name), path.join(dir, 'node_modules', name), { recursive: true })
  }
  cpSync(path.join(fixtures, 'plugins', 'hello-js'), path.join(dir, 'my-plugins', 'hello-js'), { recursive: true })
  return dir
}

describe('plugins as packages and paths', () => {
  let dir: string
  before(() => (dir = botFolder()))
  after(() => rmSync(dir, { recursive: true, force: true }))

  it('loads JavaScript and TypeScript plugins given by package name and by path, beside the built-in ones', async () => {
    const h = await startHarness({
      cwd: dir,
      config: {
        plugins: ['waplug-plugin-shout-js', 'waplug-plugin-shout-ts', './my-plugins/hello-js', path.join(fixtures, 'plugins', 'hello-ts')],
        pluginOptions: { 'shout-ts': { marks: 3 } },
      },
    })
    try {
      assert.deepEqual(
        h.runtime.plugins().map(({ name, state, source }) => [name, state, source]),
        [
          ['groups', 'running', path.join(REPO, 'plugins', 'groups')],
          ['help', 'running', path.join(REPO, 'plugins', 'help')],
          ['messages', 'running', path.join(REPO, 'plugins', 'messages')],
          ['shout-js', 'running', 'waplug-plugin-shout-js'],
          ['shout-ts', 'running', 'waplug-plugin-shout-ts'],
          ['hello-js', 'running', './my-plugins/hello-js'],
          ['hello-ts', 'running', path.join(fixtures, 'plugins', 'hello-ts')],
        ],
      )
      assert.deepEqual(await h.say('!shoutjs hi there'), ['HI THERE!'])
      assert.deepEqual(await h.say('!shoutts hey'), ['HEY!!!'])
      assert.deepEqual(await h.say('!hellojs Ana'), ['hello Ana from js'])
      assert.deepEqual(await h.say('!hellots Bo'), ['hello Bo from ts'])
      const js = await h.request('POST', '/hello-js', { body: { name: 'Cy' } })
      assert.deepEqual(js.envelope, { status: true, code: 200, message: 'Hello', data: { text: 'hello Cy from js' } })
      const ts = await h.request('POST', '/hello-ts', { body: {} })
      assert.deepEqual(ts.envelope, { status: true, code: 200, message: 'Hello', data: { text: 'hello world from ts' } })
    } finally {
      await h.close()
    }
  })

  it('reports a package that is not installed, saying how to install it, and runs the rest', async () => {
    const h = await startHarness({ cwd: dir, config: { plugins: ['waplug-plugin-nope', 'waplug-plugin-shout-js'] } })
    try {
      const failed = h.runtime.plugins().find((p) => p.state === 'failed')
      assert.equal(failed?.reason, `cannot be loaded: package 'waplug-plugin-nope' is not installed in ${dir}; install it with: npm install waplug-plugin-nope`)
      assert.deepEqual(await h.say('!shoutjs ok'), ['OK!'])
    } finally {
      await h.close()
    }
  })

  it('tells the author to make a CommonJS JavaScript plugin an ES module', async () => {
    cpSync(path.join(fixtures, 'plugins', 'hello-js', 'index.js'), path.join(dir, 'my-plugins', 'plain-js', 'index.js'))
    const h = await startHarness({ cwd: dir, builtinPlugins: false, config: { plugins: ['./my-plugins/plain-js'] } })
    try {
      assert.equal(
        h.runtime.plugins()[0]?.reason,
        `cannot be loaded: ${path.join(dir, 'my-plugins', 'plain-js', 'index.js')} is a CommonJS file; JavaScript plugins are ES modules: add "type": "module" to the package.json beside it (or name it index.mjs)`,
      )
    } finally {
      await h.close()
    }
  })
})

describe('the waplug versions a plugin supports', () => {
  it('disables a plugin made for another waplug, naming its range and this version, and runs the rest', async () => {
    const h = await startHarness({
      plugins: [
        definePlugin({ name: 'future', version: '3.0.0', waplug: '^2.0.0', setup: () => undefined }),
        definePlugin({ name: 'sloppy', version: '1.0.0', waplug: 'latest please', setup: () => undefined }),
        definePlugin({ name: 'current', version: '1.0.0', waplug: `^${WAPLUG_VERSION}`, setup: () => undefined }),
      ],
    })
    try {
      assert.deepEqual(
        h.runtime.plugins().map(({ name, state, reason }) => [name, state, reason]),
        [
          ['groups', 'running', undefined],
          ['help', 'running', undefined],
          ['messages', 'running', undefined],
          ['future', 'failed', `it supports waplug ^2.0.0, but this is waplug ${WAPLUG_VERSION}; install a release of 'future' made for ${WAPLUG_VERSION}, or a waplug in ^2.0.0`],
          ['sloppy', 'failed', `its waplug range "latest please" is not a semver range; write one such as '^${WAPLUG_VERSION}'`],
          ['current', 'running', undefined],
        ],
      )
      assert.equal((await h.request('GET', '/health', { auth: null })).status, 200)
    } finally {
      await h.close()
    }
  })

  it('compares with semver, pre-releases of a matching version included', () => {
    assert.equal(compatibilityProblem({ name: 'p', waplug: '^0.1.0' }, '0.1.5'), undefined)
    assert.equal(compatibilityProblem({ name: 'p', waplug: '^0.1.0' }, '0.2.0')?.startsWith('it supports waplug ^0.1.0, but this is waplug 0.2.0'), true)
    assert.equal(compatibilityProblem({ name: 'p', waplug: '>=0.2.0' }, '0.3.0-rc.1'), undefined)
    assert.equal(compatibilityProblem({ name: 'p' }, '9.9.9'), undefined)
  })
})
