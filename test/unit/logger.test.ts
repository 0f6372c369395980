import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { describe, it } from 'node:test'
import { stripVTControlCharacters } from 'node:util'
import { createLogger } from '../../core/logger.js'
import { captureStream } from '../support/capture.js'

describe('logs', () => {
  it('are one JSON object per line for log collectors', () => {
    const out = captureStream()
    createLogger({ log: { level: 'info', pretty: false } }, out.stream).info({ action: 'groups.create' }, 'action succeeded')
    const line = JSON.parse(out.text().trim()) as Record<string, unknown>
    assert.equal(line.msg, 'action succeeded')
    assert.equal(line.action, 'groups.create')
  })

  it('are readable lines for a person at a terminal', () => {
    const out = captureStream()
    createLogger({ log: { level: 'info', pretty: true } }, out.stream).info({ action: 'groups.create' }, 'action succeeded')
    const text = stripVTControlCharacters(out.text())
    assert.match(text, /INFO: action succeeded/)
    assert.match(text, /action: "groups\.create"/)
  })

  it('are all written when the process is killed right after them', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'test/fixtures/log-then-die.ts'], { encoding: 'utf8', timeout: 30_000 })
    assert.equal(run.signal, 'SIGKILL', run.stderr)
    const lines = run.stdout.trim().split('\n').map((line) => JSON.parse(line) as { line: number; msg: string })
    assert.deepEqual(lines.map((line) => line.line), [1, 2, 3, 4, 5])
    assert.ok(lines.every((line) => line.msg === 'written before the crash'))
  })
})
