import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { it } from 'node:test'
import type { SessionsResults } from '../../bench/sessions.js'
import { runBenchScript } from '../support/bench-script.js'

// Keeps the sessions bench from rotting: three numbers, checked for shape only.
it('npm run bench -- --sessions --quick pairs sessions over HTTP, reads memory at each step, and restarts them all', { timeout: 120_000 }, async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'waplug-bench-sessions-test-'))
  const out = path.join(dir, 'sessions.json')
  try {
    const { code, output } = await runBenchScript(['bench/run.ts', '--sessions', '--quick', '--out', out])
    assert.equal(code, 0, output)
    const results = JSON.parse(readFileSync(out, 'utf8')) as SessionsResults
    assert.deepEqual(results.steps.map((step) => step.sessions), [1, 3])
    for (const step of results.steps) {
      assert.ok(step.idle.rssMb > 0 && step.afterPing.heapMb > 0 && step.pingMaxMs > 0, JSON.stringify(step))
    }
    assert.ok(Number.isFinite(results.marginalIdleMb))
    assert.equal(results.restart.sessions, 3)
    assert.ok(results.restart.allOpenMs >= results.restart.httpReadyMs && results.restart.httpReadyMs > 0)
    assert.match(output, /One more session: /)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})
