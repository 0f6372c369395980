import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, it } from 'node:test'
import { spawnNode } from '../support/capture.js'
import { until } from '../support/emulated-runtime.js'

describe('npm run sandbox', () => {
  it('reads chat lines from stdin, prints the bot’s replies, serves the spec’s curl, and exits at end of input', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'waplug-sandbox-'))
    const { child, output, exited } = spawnNode(['--import', 'tsx', 'emulator/sandbox/main.ts'], {
      DATA_DIR: dataDir,
      PORT: '0',
      HOST: '127.0.0.1',
      // No LOG_LEVEL: the sandbox is quiet by default.
      API_KEY: 'sandbox-key-0123456789',
      OWNERS: '',
    })
    try {
      // The line after 'Sandbox ready', which may come in a later chunk of output.
      const api = /HTTP API: (http:\/\/\S+)/
      await until(() => api.test(output()), 'the sandbox', 30_000)
      const url = api.exec(output())?.[1] ?? ''
      const response = await fetch(`${url}/groups`, {
        method: 'POST',
        headers: { Authorization: 'sandbox-key-0123456789', 'Content-Type': 'application/json' },
        body: JSON.stringify({ name: 'My Group', participants: ['15550002222@s.whatsapp.net'] }),
      })
      assert.equal(response.status, 200)
      const envelope = (await response.json()) as { data: Record<string, unknown> }
      assert.deepEqual(Object.keys(envelope.data).sort(), ['created_at', 'description', 'failed_participants', 'jid', 'name', 'owner', 'participant_count', 'participants', 'settings'])

      // A second sandbox on the same data dir stops before it touches the running one's session.
      const second = spawnNode(['--import', 'tsx', 'emulator/sandbox/main.ts'], { DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', OWNERS: '' })
      assert.equal(await second.exited, 1)
      assert.match(second.output(), new RegExp(`sandbox is in use by another waplug \\(process ${child.pid} `))

      child.stdin.end('!creategroup "Team" 15550002222\n:as Alice\n!creategroup Nope\n:groups\n:as Bob\n:in Team\n')
      assert.equal(await exited, 0)
      assert.match(output(), /bot › ✅ Created "Team" with 2 members/, 'the first sandbox still understands its contacts')
      assert.match(output(), /bot › ❌ Only the bot's owners may use !creategroup/)
      assert.match(output(), /My Group\s+\d+@g\.us {2}2 members/)
      // A chat, not a log: the runtime's info lines (JSON, as stdout is a pipe) are not shown.
      assert.doesNotMatch(output(), /"level":30/)
      assert.doesNotMatch(output(), /HTTP API listening|plugins running/)
      assert.match(output(), /Bob @ private › :in Team\nBob is not in "Team", so cannot write in it; :as one of its members \(Alice\) first/)
    } finally {
      child.kill('SIGKILL')
      rmSync(dataDir, { recursive: true, force: true })
    }
  })
})
