import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { after, before, describe, it } from 'node:test'
import { BotProcess } from '../../bench/bot-process.js'
import { compileBots, compiled } from '../../bench/compile-bots.js'
import { startEmulator, type Emulator } from '../../emulator/index.js'
import { TEST_ROOT } from '../../emulator/wire/certificates.js'

// `--peers` runs the raw bot on Baileys as published, a copy of its own in
// bench/peers/baileys that only the registry can install. The same mechanism
// is tried here on the project's own copy, named by its path: the bot loads
// the copy it is given, and makes that copy trust the emulator itself.
const projectCopy = createRequire(import.meta.url).resolve('@whiskeysockets/baileys')
const root = path.resolve(import.meta.dirname, '..', '..')

describe('the raw bench bot on a copy of Baileys named by path (BENCH_BAILEYS)', () => {
  let emulator: Emulator
  let dataDir: string
  before(async () => {
    compileBots()
    emulator = await startEmulator()
    dataDir = mkdtempSync(path.join(tmpdir(), 'waplug-raw-elsewhere-'))
  })
  after(async () => {
    await emulator.stop()
    rmSync(dataDir, { recursive: true, force: true })
  })

  const start = (env: Record<string, string>) =>
    BotProcess.start(
      {
        // Run as the peers are: without the trust preload, which would reach only the project's copy.
        entry: path.relative(root, compiled('bench/raw-echo-bot.ts')),
        peer: { cwd: dataDir },
        env: { DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', WA_WS_URL: emulator.url, BENCH_BAILEYS: projectCopy, ...env },
        onQr: (qr) => emulator.scanQr(qr, { phone: '15550000001' }),
      },
      60_000,
    )

  it('refuses to start without the emulator root to trust, and says which variable holds it', async () => {
    await assert.rejects(start({}), /BENCH_TRUST_ROOT must hold the emulator root public key/)
  })

  it('pairs with the emulator through that copy and answers POST /groups', { timeout: 90_000 }, async () => {
    const { bot } = await start({ BENCH_TRUST_ROOT: TEST_ROOT.public.toString('hex') })
    try {
      const response = await fetch(`${bot.url}/groups`, { method: 'POST', body: JSON.stringify({ name: 'Elsewhere', participants: ['15550200000@s.whatsapp.net'] }) })
      assert.equal(response.status, 200)
      const group = (await response.json()) as { id?: string; subject?: string }
      assert.match(group.id ?? '', /@g\.us$/)
      assert.equal(group.subject, 'Elsewhere')
    } finally {
      await bot.stop()
    }
  })
})
