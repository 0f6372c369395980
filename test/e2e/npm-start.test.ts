import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, it } from 'node:test'
import { spawnNode } from '../support/capture.js'
import { until } from '../support/emulated-runtime.js'
import { built, REPO } from '../support/package.js'

describe('npm start with no configuration', () => {
  it('runs the compiled runtime with plain node: prints a generated key, serves /health and answers the spec curl with an envelope, and stops on SIGTERM', async () => {
    const { scripts } = JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { scripts: { start: string } }
    assert.equal(scripts.start, 'node dist/core/main.js')
    const dataDir = mkdtempSync(path.join(tmpdir(), 'waplug-start-'))
    // Nothing but a data dir and a free port; WhatsApp points at a closed local port so nothing leaves the machine.
    const { child, output, exited } = spawnNode([built('core/main.js')], {
      DATA_DIR: dataDir,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_PRETTY: 'false',
      WA_WS_URL: 'ws://127.0.0.1:9/ws/chat',
      API_KEY: '',
      JWT_SECRET: '',
    })
    try {
      // The log line and the key's banner are two writes; the test may read the first before the second arrives.
      await until(() => /HTTP API listening on [^"]*reachable at (http:\/\/[^\s"]+)"/.test(output()) && output().includes('curl -H'), 'the HTTP server and the key', 20_000)
      const url = /HTTP API listening on [^"]*reachable at (http:\/\/[^\s"]+)"/.exec(output())?.[1] ?? ''
      const key = readFileSync(path.join(dataDir, 'api-key'), 'utf8').trim()
      assert.ok(output().includes(`  curl -H "Authorization: ${key}" ${url}/session\n`), 'the key is printed with a curl line that reaches the server, on the port it took')
      assert.match(output(), /"msg":"plugins running: groups, help, messages"/)

      const health = await fetch(`${url}/health`)
      assert.equal(health.status, 200)
      const { data } = (await health.json()) as { data: { plugins: { name: string; state: string }[] } }
      assert.deepEqual(data.plugins, [{ name: 'groups', state: 'running' }, { name: 'help', state: 'running' }, { name: 'messages', state: 'running' }], 'the compiled built-in plugins')
      const groups = await fetch(`${url}/groups`, {
        method: 'POST',
        headers: { Authorization: key, 'Content-Type': 'application/json' },
        body: JSON.stringify({ name: 'My Group', participants: ['6281234567890@s.whatsapp.net'] }),
      })
      assert.equal(groups.status, 503)
      assert.deepEqual(await groups.json(), { status: false, code: 503, message: 'Service unavailable', error: 'WhatsApp is not connected' })
      child.kill('SIGTERM')
      assert.equal(await exited, 0)
    } finally {
      child.kill('SIGKILL')
      rmSync(dataDir, { recursive: true, force: true })
    }
  })
})
