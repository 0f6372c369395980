import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { pino } from 'pino'
import { createRuntime } from '../../core/index.js'
import { captureStream } from '../support/capture.js'
import { startHarness } from '../support/harness.js'

/** The runtime's log as JSON lines, and each line's message. */
function jsonLog() {
  const { stream, text } = captureStream()
  const lines = () =>
    text()
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { msg: string; level: number })
  return { logger: pino({ level: 'info' }, stream), messages: () => lines().map((line) => line.msg), lines }
}

describe('what the runtime says at start', () => {
  it('shows the generated key with a curl to the address it listens on, on any port and host', async () => {
    const log = jsonLog()
    const h = await startHarness({ config: { http: { apiKeys: [], host: '127.0.0.2', port: 0 } }, logger: log.logger })
    try {
      const port = new URL(h.url).port
      assert.notEqual(port, '0')
      assert.equal(h.url, `http://127.0.0.2:${port}`)
      const key = h.runtime.config.http.apiKeys[0] ?? ''
      assert.ok(h.terminal().includes(`  curl -H "Authorization: ${key}" http://127.0.0.2:${port}/session\n`), h.terminal())
      assert.ok(log.messages().includes(`HTTP API listening on 127.0.0.2:${port}, reachable at http://127.0.0.2:${port}`), log.messages().join('\n'))
    } finally {
      await h.close()
    }
  })

  it('says it listens on every address when it does, with a URL that reaches it, and names the plugins that run', async () => {
    const log = jsonLog()
    const h = await startHarness({ config: { http: { host: '0.0.0.0', port: 0 } }, logger: log.logger })
    try {
      const port = new URL(h.url).port
      assert.ok(log.messages().includes(`HTTP API listening on 0.0.0.0:${port} (every address of this machine), reachable at http://127.0.0.1:${port}`), log.messages().join('\n'))
      assert.ok(log.messages().includes('plugins running: groups, help, messages'), log.messages().join('\n'))
      assert.equal((await fetch(`${h.url}/health`)).status, 200)
    } finally {
      await h.close()
    }
  })

  it('stops with one line when the data dir cannot be created or written', async () => {
    for (const dataDir of ['/proc/waplug-data', '/proc/self/waplug-data']) {
      const runtime = createRuntime({ config: { dataDir, http: { port: 0, host: '127.0.0.1', apiKeys: ['test-key-0123456789abcdef'] } }, env: {}, logger: pino({ level: 'silent' }) })
      await assert.rejects(runtime.start(), (error: Error) => {
        assert.equal(error.name, 'StartupError')
        assert.match(error.message, new RegExp(`^Cannot use the data directory ${dataDir}: E[A-Z]+; set DATA_DIR to a directory waplug may create and write$`))
        return true
      })
    }
  })
})
