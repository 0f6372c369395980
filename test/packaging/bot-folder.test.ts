// waplug as a bot folder gets it: packed (npm pack), the folder made by `waplug init`,
// installed from the tarball by npm ci, offline from npm's cache. Then what a person
// does next: a new plugin's test, the sandbox, the bot's start. About 50 s on a quiet
// machine (pack and install about 20 s, the plugin's test about 15 s), up to 100 s on a busy one.
import assert from 'node:assert/strict'
import { execFileSync, spawn } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { after, before, describe, it } from 'node:test'
import { runToEnd } from '../support/capture.js'
import { installedNames, npmCi, packWaplug, writeBotLock } from '../support/installed-package.js'
import { built } from '../support/package.js'
import { freePort, startCommand } from '../support/started-command.js'

let work: string
let bot: string
let install: string

before(async () => {
  work = mkdtempSync(path.join(tmpdir(), 'waplug-bot-'))
  const tarball = packWaplug(work)
  bot = path.join(work, 'my-bot')
  execFileSync(process.execPath, [built('cli/main.js'), 'init', bot, '--waplug', `file:${path.relative(bot, tarball)}`], { stdio: 'ignore' })
  writeBotLock(bot, tarball)
  install = await npmCi(bot)
})
after(() => rmSync(work, { recursive: true, force: true }))

const bin = () => path.join(bot, 'node_modules', '.bin', 'waplug')

describe('a bot folder with waplug installed from its tarball', () => {
  it('has waplug, its production dependencies and no sharp', () => {
    const names = installedNames(bot)
    assert.ok(names.includes('waplug') && names.includes('@whiskeysockets/baileys'))
    assert.ok(!names.includes('sharp'), 'sharp (thumbnails only) is not installed unless asked for')
    assert.ok(!names.includes('typescript') && !names.includes('eslint'), "waplug's dev dependencies stay out")
  })

  it('has the patches applied to the Baileys and libsignal that npm hoisted to the bot', async () => {
    // npm puts Baileys beside waplug, not inside it: where patch-package run from waplug would not look.
    assert.ok(existsSync(path.join(bot, 'node_modules', '@whiskeysockets', 'baileys')))
    assert.ok(!existsSync(path.join(bot, 'node_modules', 'waplug', 'node_modules', '@whiskeysockets', 'baileys')))
    assert.match(install, /patch/, 'the install says what it patched')
    const check = `import { missingPatches } from ${JSON.stringify(path.join(bot, 'node_modules/waplug/dist/core/whatsapp/baileys-patch.js'))}; console.log(JSON.stringify(missingPatches()))`
    const { code, output } = await runToEnd(process.execPath, ['--input-type=module', '-e', check], { cwd: bot })
    assert.equal(code, 0, output)
    assert.deepEqual(JSON.parse(output.trim().split('\n').pop() ?? ''), [])
  })

  it('makes a plugin whose generated test passes against the installed testing kit', async () => {
    const made = await runToEnd(bin(), ['plugin', 'new', 'greeter', '--dir', 'plugins/greeter'], { cwd: bot })
    assert.equal(made.code, 0, made.output)
    // As its package.json's test script runs it; waplug and tsx resolve from the bot's node_modules above it.
    const { code, output } = await runToEnd(process.execPath, ['--import', 'tsx', '--test', 'test/greeter.test.ts'], { cwd: path.join(bot, 'plugins', 'greeter') })
    assert.equal(code, 0, output)
    assert.match(output, /# pass 1\n# fail 0/)
  })

  it('runs `waplug sandbox` from the installed package, with the folder\'s own plugin', async () => {
    const { PATH, HOME } = process.env
    // Typed lines on standard input, as a person at the prompt would; PORT=0: any free port.
    const child = spawn(bin(), ['sandbox'], { cwd: bot, env: { PATH, HOME, PORT: '0' }, stdio: ['pipe', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.stdin.end('!ping\n!hello Ana\n:quit\n')
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve))
    assert.equal(code, 0, output)
    assert.match(output, /Sandbox ready/)
    assert.match(output, /bot › pong/)
    assert.match(output, /bot › Hello, Ana!/)
  })

  it('starts with `waplug start`: /health answers, no missing-patch warning, SIGTERM stops it cleanly', async () => {
    const port = await freePort()
    const closed = await freePort()
    const started = startCommand(bin(), ['start'], {
      cwd: bot,
      // WhatsApp at a closed local port: the session keeps retrying, which is enough to start; nothing leaves this machine.
      env: { PORT: String(port), API_KEY: 'bot-folder-key-0123456789', WA_WS_URL: `ws://127.0.0.1:${closed}`, LOG_PRETTY: 'false', WA_PRINT_QR: 'false' },
    })
    try {
      await started.waitFor(/cannot reach WhatsApp/)
      const health = await fetch(`http://127.0.0.1:${port}/health`)
      assert.equal(health.status, 200)
      assert.doesNotMatch(started.output(), /is not patched/)
      assert.match(started.output(), /plugins running: [^\n]*hello/, 'the folder\'s own plugin runs, listed in config/local.json')
    } finally {
      assert.equal(await started.stop(), 0, started.output().slice(-2000))
    }
  })
})
