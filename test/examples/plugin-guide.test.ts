// docs/plugins.md against the SDK: its reference names every export of
// core/index.ts and nothing else, and its files, written into a fresh folder,
// make a plugin that loads by path, answers, and passes its own test.
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { after, before, describe, it } from 'node:test'
import * as sdk from '../../core/index.js'
import { startHarness } from '../support/harness.js'

const repo = path.resolve(import.meta.dirname, '..', '..')
const guide = readFileSync(path.join(repo, 'docs', 'plugins.md'), 'utf8')
const index = readFileSync(path.join(repo, 'core', 'index.ts'), 'utf8')

/** The names in `export { … }` (values) and `export type { … }` (types) of core/index.ts. */
function sdkExports(): { values: string[]; types: string[] } {
  const values: string[] = []
  const types: string[] = []
  for (const [, type, list] of index.matchAll(/^export (type )?\{([^}]*)\}/gm)) {
    const names = (list ?? '')
      .split(',')
      .map((entry) => entry.trim().split(/\s+as\s+/).pop()?.replace(/^type\s+/, '') ?? '')
      .filter(Boolean)
    ;(type ? types : values).push(...names)
  }
  return { values: values.sort(), types: types.sort() }
}

/** The names listed (`- \`name\` — …`) under a heading of the guide's SDK reference. */
function referenced(heading: string): string[] {
  const reference = guide.slice(guide.indexOf('## SDK reference'))
  const start = reference.indexOf(`### ${heading}`)
  assert.notEqual(start, -1, `docs/plugins.md has no "### ${heading}" in its SDK reference`)
  const section = reference.slice(start).split(/\n### /)[0] ?? ''
  return [...section.matchAll(/^- `([A-Za-z_$][\w$]*)`/gm)].map((m) => m[1] ?? '').sort()
}

describe('docs/plugins.md: the SDK reference', () => {
  it('parses the same value exports from core/index.ts as the module has', () => {
    assert.deepEqual(sdkExports().values, Object.keys(sdk).sort())
  })

  it('lists every value export of waplug, and none that is gone', () => {
    assert.deepEqual(referenced('Values'), sdkExports().values)
  })

  it('lists every type export of waplug, and none that is gone', () => {
    assert.deepEqual(referenced('Types'), sdkExports().types)
  })
})

/** The guide's files: ```ts blocks whose first line is `// <path>`. */
function guideFiles(): Map<string, string> {
  const files = new Map<string, string>()
  for (const [, body] of guide.matchAll(/```ts\n([\s\S]*?)```/g)) {
    const first = /^\/\/ ([\w./-]+\.ts)\n/.exec(body ?? '')
    if (first?.[1]) files.set(first[1], body ?? '')
  }
  return files
}

describe('docs/plugins.md: its steps, run', () => {
  let dir: string
  before(() => {
    // Steps 1 and 2: a bot's folder with waplug in node_modules (here, linked to this repository).
    dir = mkdtempSync(path.join(tmpdir(), 'waplug-guide-'))
    writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'my-bot', version: '1.0.0', type: 'module' }))
    mkdirSync(path.join(dir, 'node_modules'))
    symlinkSync(repo, path.join(dir, 'node_modules', 'waplug'), 'dir')
    // Steps 3 and 4: the guide's files.
    for (const [file, text] of guideFiles()) {
      mkdirSync(path.dirname(path.join(dir, file)), { recursive: true })
      writeFileSync(path.join(dir, file), text)
    }
  })
  after(() => rmSync(dir, { recursive: true, force: true }))

  it('has the plugin and its test as files', () => {
    assert.deepEqual([...guideFiles().keys()].sort(), ['my-plugins/hello/index.ts', 'my-plugins/hello/test/hello.test.ts'])
  })

  it('step 5: the plugin loads by its path from config, with its options, and answers its command', async () => {
    const config = JSON.parse(/```json\n(\{\n {2}"plugins": \["\.\/my-plugins\/hello"\][\s\S]*?)```/.exec(guide)?.[1] ?? '{}') as Record<string, unknown>
    assert.deepEqual(config.plugins, ['./my-plugins/hello'])
    const h = await startHarness({ cwd: dir, builtinPlugins: false, config })
    try {
      assert.deepEqual(h.runtime.plugins().map(({ name, state }) => [name, state]), [['hello', 'running']])
      assert.deepEqual(await h.say('!hello Ana'), ['Hi, Ana!'])
      assert.deepEqual(await h.say('!hello nobody'), ['❌ Say hello to somebody\nUsage: !hello <name...>'])
    } finally {
      await h.close()
    }
  })

  it("step 4: the plugin's test passes", { timeout: 120_000 }, async () => {
    // Run from this repository, whose tsconfig tsx then uses: waplug is linked here, not installed
    // (see the guide on tsconfig.json for a bot's own folder).
    const run = spawn(process.execPath, ['--import', 'tsx', '--test', path.join(dir, 'my-plugins', 'hello', 'test', 'hello.test.ts')], {
      cwd: repo,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: withoutTestRunner(process.env),
    })
    let output = ''
    run.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
    run.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
    const code = await new Promise<number | null>((resolve) => run.on('close', resolve))
    assert.equal(code, 0, output)
    assert.match(output, /^# pass 3$/m)
  })
})

/** The environment without what makes a child of a test file report to this test run instead of running its own. */
function withoutTestRunner(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { NODE_TEST_CONTEXT: _context, NODE_OPTIONS: _options, ...rest } = env
  return rest
}
