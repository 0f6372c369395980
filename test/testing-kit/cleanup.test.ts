import assert from 'node:assert/strict'
import { existsSync } from 'node:fs'
import { describe, it } from 'node:test'
import { startTestBot } from 'waplug/testing'
import { spawn } from 'node:child_process'

const AUTHOR_TEST = 'test/testing-kit/fixtures/plugin-author.ts'

/** Runs the author's test file as its own process; how long it lived after its last test says what it leaked. */
async function runAuthorTest(logEnv: string): Promise<{ code: number | null; output: string; lingeredMs: number }> {
  // Without this the child would talk to our test runner instead of printing its own report.
  const { NODE_TEST_CONTEXT: _ours, ...env } = process.env
  const child = spawn(process.execPath, ['--import', 'tsx', AUTHOR_TEST], { env: { ...env, WAPLUG_TEST_LOG: logEnv }, stdio: 'pipe' })
  let output = ''
  let doneAt: number | undefined
  const collect = (chunk: Buffer) => {
    output += chunk.toString()
    if (doneAt === undefined && output.includes('plugin-author: tests done')) doneAt = Date.now()
  }
  child.stdout.on('data', collect)
  child.stderr.on('data', collect)
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve))
  return { code, output, lingeredMs: Date.now() - (doneAt ?? 0) }
}

describe('waplug/testing: cleaning up', () => {
  it('an author’s test process exits as soon as its tests are done, and prints no logs unless asked', async () => {
    // Baileys' stray 30 s timer, a socket or a server left open would each keep the process alive.
    const [quiet, loud] = await Promise.all([runAuthorTest(''), runAuthorTest('info')])
    assert.equal(quiet.code, 0, quiet.output)
    assert.match(quiet.output, /# pass 3\n/)
    assert.ok(quiet.lingeredMs < 10_000, `the process lived ${quiet.lingeredMs} ms after its tests`)
    assert.doesNotMatch(quiet.output, /HTTP API listening/)
    assert.equal(loud.code, 0, loud.output)
    assert.match(loud.output, /INFO.*HTTP API listening on 127\.0\.0\.1:\d+, reachable at http:\/\/127\.0\.0\.1/)
  })

  it('stop closes the HTTP API and the emulator, deletes the bot’s files, may be called twice, and ends the bot’s use', async () => {
    const bot = await startTestBot()
    const { url, runtime, emulator } = bot
    assert.ok(existsSync(runtime.config.dataDir))
    await bot.stop()
    await bot.stop()
    assert.equal(existsSync(runtime.config.dataDir), false)
    assert.equal(emulator.connected(), false)
    assert.equal(runtime.whatsapp.state, 'closed')
    await assert.rejects(fetch(`${url}/health`))
    await assert.rejects(bot.say('!ping'), { message: 'bot.say() was called after bot.stop(); start another bot with startTestBot' })
  })
})
