// The `waplug` command as a person runs it: the built CLI (dist/cli/main.js) as a child process. About 5 s.
import assert from 'node:assert/strict'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { after, before, describe, it } from 'node:test'
import { loadConfig } from '../../core/config.js'
import { runToEnd } from '../support/capture.js'
import { REPO, built } from '../support/package.js'

const version = (JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { version: string }).version
let dir: string
const waplug = (args: string[], cwd = dir) => runToEnd(process.execPath, [built('cli/main.js'), ...args], { cwd })

before(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'waplug-cli-'))
})
after(() => rmSync(dir, { recursive: true, force: true }))

describe('waplug --help', () => {
  it('lists every command, with examples', async () => {
    const { code, output } = await waplug(['--help'])
    assert.equal(code, 0)
    for (const command of ['start', 'sandbox', 'init', 'plugin', 'patch']) assert.match(output, new RegExp(`^  ${command}\\b`, 'm'), `lists ${command}`)
    assert.match(output, /Examples:\n {2}\$ waplug /)
  })

  it('has help with examples for every command, shown as is in docs/cli.md', async () => {
    const docs = readFileSync(path.join(REPO, 'docs', 'cli.md'), 'utf8')
    for (const command of [[], ['start'], ['sandbox'], ['init'], ['plugin'], ['plugin', 'new'], ['patch']]) {
      const { code, output } = await waplug([...command, '--help'])
      assert.equal(code, 0, command.join(' '))
      assert.ok(docs.includes(`\`\`\`text\n${output.trimEnd()}\n\`\`\``), `docs/cli.md shows the output of waplug ${command.join(' ')} --help; update it`)
      if (command.length === 0) continue
      assert.match(output, new RegExp(`^Usage: waplug ${command.join(' ')}`, 'm'))
      assert.match(output, /Examples:\n {2}\$ waplug /, `waplug ${command.join(' ')} --help shows examples`)
    }
  })

  it('prints its version', async () => {
    assert.deepEqual(await waplug(['--version']), { code: 0, output: `${version}\n` })
  })

  it('names an unknown command instead of starting the bot', async () => {
    const { code, output } = await waplug(['strat'])
    assert.equal(code, 1)
    assert.match(output, /unknown command 'strat'/)
    assert.match(output, /start/, 'suggests the nearest command')
  })
})

describe('waplug init', () => {
  it('makes a bot folder whose config, with its comments, loads', async () => {
    const { code, output } = await waplug(['init', 'my-bot', '--waplug', 'file:../waplug.tgz'])
    assert.equal(code, 0, output)
    const bot = path.join(dir, 'my-bot')
    for (const file of ['package.json', 'config/local.json', 'plugins/hello/index.ts', 'plugins/hello/test/hello.test.ts', '.gitignore', '.npmrc', 'tsconfig.json']) {
      assert.ok(existsSync(path.join(bot, file)), `${file} is made`)
    }
    const manifest = JSON.parse(readFileSync(path.join(bot, 'package.json'), 'utf8')) as { name: string; type: string; dependencies: Record<string, string>; scripts: Record<string, string> }
    assert.equal(manifest.name, 'my-bot')
    assert.equal(manifest.type, 'module')
    assert.equal(manifest.dependencies.waplug, 'file:../waplug.tgz')
    assert.equal(manifest.scripts.postinstall, 'waplug patch', 'every install of the bot applies the patches')
    assert.match(readFileSync(path.join(bot, 'config/local.json'), 'utf8'), /^\s*\/\/ /m, 'the config explains itself in comments')
    const config = loadConfig({ dir: path.join(bot, 'config'), env: {} })
    assert.deepEqual(config.plugins, ['./plugins/hello'])
    assert.match(readFileSync(path.join(bot, '.gitignore'), 'utf8'), /^data\/$/m, 'sessions stay out of git')
    assert.match(readFileSync(path.join(bot, '.npmrc'), 'utf8'), /^legacy-peer-deps=true$/m, 'sharp is not pulled in')
  })

  it('writes nothing into a folder that has one of its files', async () => {
    const taken = path.join(dir, 'taken')
    mkdirSync(taken)
    writeFileSync(path.join(taken, '.gitignore'), 'mine\n')
    const { code, output } = await waplug(['init', 'taken'])
    assert.equal(code, 1)
    assert.match(output, /already has \.gitignore; choose an empty or new folder \(nothing was written\)/)
    assert.equal(existsSync(path.join(taken, 'package.json')), false)
    assert.equal(readFileSync(path.join(taken, '.gitignore'), 'utf8'), 'mine\n')
  })
})

describe('waplug plugin new', () => {
  it('makes a plugin package', async () => {
    const { code, output } = await waplug(['plugin', 'new', 'greeter'])
    assert.equal(code, 0, output)
    for (const file of ['package.json', 'index.ts', 'test/greeter.test.ts', 'tsconfig.json']) assert.ok(existsSync(path.join(dir, 'greeter', file)), file)
    const manifest = JSON.parse(readFileSync(path.join(dir, 'greeter', 'package.json'), 'utf8')) as { peerDependencies: Record<string, string> }
    assert.equal(manifest.peerDependencies.waplug, `^${version}`)
    assert.match(readFileSync(path.join(dir, 'greeter', 'test/greeter.test.ts'), 'utf8'), /from 'waplug\/testing'/)
  })

  it('refuses a name that cannot be a command, saying what would do', async () => {
    const { code, output } = await waplug(['plugin', 'new', 'My Plugin'])
    assert.equal(code, 1)
    assert.match(output, /"My Plugin" cannot be a plugin name: use lowercase letters, digits and hyphens/)
  })
})
