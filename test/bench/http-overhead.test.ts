import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { runBenchScript } from '../support/bench-script.js'

// Keeps bench/http-overhead.ts from rotting: one round, checked for shape only.
describe('bench/http-overhead.ts', () => {
  it('measures the runtime, its process behind the baseline handlers, and the raw bot, and splits the difference', { timeout: 150_000 }, async () => {
    const { code, output } = await runBenchScript(['bench/http-overhead.ts', '1'])
    assert.equal(code, 0, output)
    assert.match(output, /^round 1: runtime \d+\/s \d+ µs, runtime-bare \d+ µs, raw \d+\/s \d+ µs/m)
    for (const bot of ['runtime', 'runtime-bare', 'raw']) {
      const line = new RegExp(`^${bot}: (\\d+) µs per request, .*heap [\\d.]+ MB after (\\d+) groups measured$`, 'm').exec(output)
      assert.ok(line, `${bot}: no summary line in\n${output}`)
      assert.ok(Number(line[1]) > 0 && Number(line[2]) > 0, line[0])
    }
    assert.match(output, /^of it: the runtime's process × [\d.]+ of raw with the same handlers \([+−] \d+ µs\), its request path [+−] \d+ µs/m)
  })
})
