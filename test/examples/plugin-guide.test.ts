// docs/plugins.md against the SDK: its reference names every export of
// core/index.ts and nothing else, and its files, written into a fresh folder
// beside a linked waplug, make a plugin that type-checks, loads by path,
// answers, passes its own test, and starts with the bot as the guide says.
import assert from 'node:assert/strict'
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { after, before, describe, it } from 'node:test'
import * as sdk from '../../core/index.js'
import { runToEnd, spawnNode } from '../support/capture.js'
import { until } from '../support/emulated-runtime.js'
import { startHarness } from '../support/harness.js'
import { authorFolder, REPO } from '../support/package.js'

const guide = readFileSync(path.join(REPO, 'docs', 'plugins.md'), 'utf8')
const index = readFileSync(path.join(REPO, 'core', 'index.ts'), 'utf8')

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

/** The guide's tsconfig.json (step 2): its ```json block of compilerOptions. */
function guideTsconfig(): { compilerOptions: Record<string, unknown> } {
  const block = /```json\n(\{\n {2}"compilerOptions"[\s\S]*?)```/.exec(guide)?.[1]
  assert.ok(block, 'docs/plugins.md shows no tsconfig.json')
  return JSON.parse(block) as { compilerOptions: Record<string, unknown> }
}

/** The guide's config/local.json (step 5). */
function guideLocalConfig(): Record<string, unknown> {
  return JSON.parse(/```json\n(\{\n {2}"plugins": \["\.\/my-plugins\/hello"\][\s\S]*?)```/.exec(guide)?.[1] ?? '{}') as Record<string, unknown>
}

describe('docs/plugins.md: its steps, run', () => {
  let dir: string
  before(() => {
    // Steps 1 and 2: a bot's folder with waplug (here, linked to this repository), the tools, and the guide's tsconfig.json.
    dir = authorFolder('waplug-guide-')
    writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify(guideTsconfig()))
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

  it('step 2: the tsconfig.json has nothing for waplug, though waplug uses parameter decorators: no experimentalDecorators', () => {
    assert.equal(guideTsconfig().compilerOptions.experimentalDecorators, undefined)
  })

  it('step 5: the plugin loads by its path from config, with its options, and answers its command', async () => {
    const config = guideLocalConfig()
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

  it("step 4: the plugin's test passes, run with tsx in the bot's folder as the guide says, and its files type-check", { timeout: 120_000 }, async () => {
    // The author's tsx and tsc compile the author's files only; waplug comes compiled, with declarations.
    const test = await runToEnd(process.execPath, ['--import', 'tsx', '--test', 'my-plugins/hello/test/hello.test.ts'], { cwd: dir })
    assert.equal(test.code, 0, test.output)
    assert.match(test.output, /^# pass 3$/m)
    const types = await runToEnd(process.execPath, [path.join('node_modules', 'typescript', 'bin', 'tsc'), '--noEmit'], { cwd: dir })
    assert.equal(types.code, 0, types.output)
  })

  it("step 5 as written: the bot starts from its folder, with waplug's defaults, the plugin in config/local.json running", { timeout: 60_000 }, async () => {
    const command = /```sh\n(node node_modules\/waplug\/\S+)\n```/.exec(guide)?.[1]
    assert.equal(command, 'node node_modules/waplug/dist/core/main.js')
    mkdirSync(path.join(dir, 'config'), { recursive: true })
    writeFileSync(path.join(dir, 'config', 'local.json'), JSON.stringify(guideLocalConfig()))
    // WhatsApp points at a closed local port, so nothing leaves the machine.
    const { child, output, exited } = spawnNode(
      [path.join('node_modules', 'waplug', 'dist', 'core', 'main.js')],
      { DATA_DIR: path.join(dir, 'data'), PORT: '0', HOST: '127.0.0.1', LOG_PRETTY: 'false', WA_WS_URL: 'ws://127.0.0.1:9/ws/chat' },
      dir,
    )
    try {
      await until(() => /HTTP API listening on [^"]*reachable at (http:\/\/[^\s"]+)"/.test(output()), 'the HTTP server', 30_000)
      const url = /HTTP API listening on [^"]*reachable at (http:\/\/[^\s"]+)"/.exec(output())?.[1] ?? ''
      const { data } = (await (await fetch(`${url}/health`)).json()) as { data: { plugins: { name: string; state: string }[] } }
      assert.deepEqual(data.plugins, [
        { name: 'groups', state: 'running' },
        { name: 'help', state: 'running' },
        { name: 'messages', state: 'running' },
        { name: 'hello', state: 'running' },
      ])
      child.kill('SIGTERM')
      assert.equal(await exited, 0, output())
    } finally {
      child.kill('SIGKILL')
    }
  })
})
