import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { test } from 'node:test'
import { promisify } from 'node:util'
import { startEmulator } from '../../emulator/index.js'

const root = fileURLToPath(new URL('../../', import.meta.url))
const run = promisify(execFile)

void test('trust-preload makes a child process trust the emulator root', async () => {
  const script = `
    const { WA_CERT_DETAILS } = await import('@whiskeysockets/baileys')
    const { TEST_ROOT } = await import('./emulator/wire/certificates.ts')
    console.log(Buffer.compare(WA_CERT_DETAILS.PUBLIC_KEY, TEST_ROOT.public) === 0 ? 'trusted' : 'not trusted')
  `
  const { stdout } = await run(process.execPath, ['--import', 'tsx', '--import', './emulator/trust-preload.ts', '--input-type=module', '-e', script], { cwd: root })
  assert.equal(stdout.trim(), 'trusted')
})

/** A Baileys client in a child process connects to url; prints "qr" once the handshake passed, else why it closed. */
const connectScript = (url: string): string => `
  const { default: makeWASocket, initAuthCreds } = await import('@whiskeysockets/baileys')
  const { pino } = await import('pino')
  const keys = { get: async () => ({}), set: async () => {} }
  const sock = makeWASocket({ auth: { creds: initAuthCreds(), keys }, waWebSocketUrl: ${JSON.stringify(url)}, logger: pino({ level: 'silent' }), connectTimeoutMs: 5000 })
  sock.ev.on('connection.update', (u) => {
    if (!u.qr && u.connection !== 'close') return
    console.log(u.qr ? 'qr' : 'closed: ' + u.lastDisconnect?.error?.message)
    sock.end(undefined)
    process.exit(0)
  })
`

void test("only a client that trusts the emulator's root connects to it; without the trust preload Baileys refuses its certificate chain", async (t) => {
  const emulator = await startEmulator()
  t.after(() => emulator.stop())
  const script = connectScript(emulator.url)
  const [trusting, untrusting] = await Promise.all([
    run(process.execPath, ['--import', 'tsx', '--import', './emulator/trust-preload.ts', '--input-type=module', '-e', script], { cwd: root, timeout: 30_000 }),
    run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: root, timeout: 30_000 }),
  ])
  assert.equal(trusting.stdout.trim(), 'qr')
  assert.equal(untrusting.stdout.trim(), 'closed: noise intermediate certificate signature invalid')
})
