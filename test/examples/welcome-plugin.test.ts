// examples/welcome-plugin as a bot uses it: installed by package name beside
// waplug, configured, answering its command and keeping its count across a
// restart; and its own test suite, run as its author runs it (`npm test`).
import assert from 'node:assert/strict'
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { after, before, describe, it } from 'node:test'
import { runToEnd } from '../support/capture.js'
import { startHarness, OWNER } from '../support/harness.js'
import { built, linkWaplug, REPO } from '../support/package.js'

const example = path.join(REPO, 'examples', 'welcome-plugin')
const GROUP = '120363000000000001@g.us'
const BOB = '15550002222@s.whatsapp.net'

describe('examples/welcome-plugin, installed as the package waplug-plugin-welcome', () => {
  let dir: string
  before(() => {
    // A bot's folder: waplug (linked to this repository) and the example installed in node_modules.
    // The example is copied, as `npm install` of a published package puts it there: were it a
    // link, Node would resolve its `import 'waplug'` from its real place in examples/, where no
    // node_modules/waplug is (that package's name is not 'waplug', so no self-reference either).
    dir = mkdtempSync(path.join(tmpdir(), 'waplug-welcome-'))
    linkWaplug(dir)
    cpSync(example, path.join(dir, 'node_modules', 'waplug-plugin-welcome'), {
      recursive: true,
      filter: (source) => path.basename(source) !== 'node_modules',
    })
  })
  after(() => rmSync(dir, { recursive: true, force: true }))

  it('loads by package name, greets with its configured template, answers !welcomes and keeps the count across a restart', async () => {
    const dataDir = path.join(dir, 'data')
    const start = () =>
      startHarness({
        cwd: dir,
        dataDir,
        builtinPlugins: false,
        config: { plugins: ['waplug-plugin-welcome'], pluginOptions: { welcome: { greeting: 'Hola {name}, bienvenido a {group}' } } },
      })
    const inGroup = { chat: GROUP, sender: OWNER, isGroup: true }

    const first = await start()
    try {
      assert.deepEqual(
        first.runtime.plugins().map(({ name, state, source }) => [name, state, source]),
        [['welcome', 'running', 'waplug-plugin-welcome']],
      )
      first.whatsapp.known.set(GROUP, {
        jid: GROUP,
        subject: 'Hikers',
        description: '',
        createdAt: 0,
        size: 2,
        participants: [],
        settings: {} as never,
        addressingMode: 'pn',
      })
      assert.deepEqual(await first.say('!welcomes', inGroup), ['No one has been welcomed in this group yet'])
      first.whatsapp.emitGroupEvent({ type: 'participants', group: GROUP, change: 'joined', participants: [{ jid: BOB }] })
      await first.runtime.idle()
      assert.deepEqual(first.whatsapp.sent.at(-1), { chat: GROUP, text: 'Hola @15550002222, bienvenido a Hikers' })
      assert.deepEqual(await first.say('!welcomes', inGroup), ['Welcomed 1 person in this group'])
    } finally {
      await first.close()
    }

    const second = await start()
    try {
      assert.deepEqual(await second.say('!welcomes', inGroup), ['Welcomed 1 person in this group'])
    } finally {
      await second.close()
    }
  })
})

describe("examples/welcome-plugin's own tests", () => {
  it('pass when run as its author runs them: its package.json test script, in its folder', { timeout: 120_000 }, async () => {
    built('core/testing/index.js') // what the example's tsconfig.json maps 'waplug/testing' to
    const pkg = JSON.parse(readFileSync(path.join(example, 'package.json'), 'utf8')) as { scripts: { test: string } }
    assert.equal(pkg.scripts.test, 'node --import tsx --test test/*.test.ts')
    const { code, output } = await runToEnd(pkg.scripts.test, [], { cwd: example, shell: true })
    assert.equal(code, 0, output)
    assert.match(output, /^# pass [1-9]/m)
    assert.match(output, /^# fail 0$/m)
  })
})
