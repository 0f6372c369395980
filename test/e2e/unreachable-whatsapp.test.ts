// With no way to WhatsApp, the runtime says where it tried and why it failed,
// not that a connection it never had was lost.
import assert from 'node:assert/strict'
import { mkdtempSync } from 'node:fs'
import { rm } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, it } from 'node:test'
import { createRuntime } from '../../core/index.js'
import { createLogger } from '../../core/logger.js'
import { captureStream } from '../support/capture.js'
import { until } from '../support/emulated-runtime.js'

/** A port on 127.0.0.1 nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise((resolve) => server.close(resolve))
  return port
}

/** Runs a runtime against wsUrl until it has logged `count` attempts; returns its warning lines. */
async function attempts(wsUrl: string, count: number): Promise<string[]> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'waplug-unreachable-'))
  const out = captureStream()
  const lines = () =>
    out
      .text()
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { level: number; msg: string })
  const warnings = () => lines().filter((line) => line.level >= 40 && line.msg.includes('WhatsApp')).map((line) => line.msg)
  const runtime = createRuntime({
    env: {},
    logger: createLogger({ log: { level: 'info', pretty: false } }, out.stream),
    config: { dataDir, http: { port: 0, host: '127.0.0.1', apiKeys: ['unreachable-key-0123456789'] }, whatsapp: { wsUrl, connectTimeoutMs: 5000 } },
  })
  await runtime.start()
  try {
    await until(() => warnings().length >= count, `${count} attempts to reach ${wsUrl}`, 15_000)
    return warnings()
  } finally {
    await runtime.stop()
    await rm(dataDir, { recursive: true, force: true, maxRetries: 40, retryDelay: 50 }).catch(() => undefined)
  }
}

describe('WhatsApp out of reach', () => {
  it('logs "cannot reach WhatsApp at <url>: <cause>; retrying in N s" for a closed port, each attempt', async () => {
    const url = `ws://127.0.0.1:${await closedPort()}/ws/chat`
    const warnings = await attempts(url, 2)
    for (const msg of warnings.slice(0, 2)) {
      assert.match(msg, new RegExp(`^cannot reach WhatsApp at ${url.replace(/[.]/g, '\\.')}: connect ECONNREFUSED 127\\.0\\.0\\.1:\\d+; retrying in \\d+(\\.\\d)? s$`))
    }
    assert.ok(!warnings.some((msg) => msg.includes('connection lost')), 'it never had a connection to lose')
  })

  it('names the unresolvable host in the cause', async () => {
    const [msg] = await attempts('ws://waplug-test.invalid/ws/chat', 1)
    assert.match(msg ?? '', /^cannot reach WhatsApp at ws:\/\/waplug-test\.invalid\/ws\/chat: getaddrinfo \w+ waplug-test\.invalid; retrying in \d+(\.\d)? s$/)
  })
})
