import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { test } from 'node:test'
import { promisify } from 'node:util'

const root = fileURLToPath(new URL('../../', import.meta.url))

void test('trust-preload makes a child process trust the emulator root', async () => {
  const script = `
    const { WA_CERT_DETAILS } = await import('@whiskeysockets/baileys')
    const { TEST_ROOT } = await import('./emulator/wire/certificates.ts')
    console.log(Buffer.compare(WA_CERT_DETAILS.PUBLIC_KEY, TEST_ROOT.public) === 0 ? 'trusted' : 'not trusted')
  `
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', '--import', './emulator/trust-preload.ts', '--input-type=module', '-e', script],
    { cwd: root },
  )
  assert.equal(stdout.trim(), 'trusted')
})
