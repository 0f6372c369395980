import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, it } from 'node:test'
import type { Comparison, LoadSide, Results } from '../../bench/results.js'

// Keeps the bench from rotting: the smallest run there is, checked for shape
// only. Its speed is the bench's business, never a test's.
describe('npm run bench -- --quick', () => {
  it('measures both sides of every comparison and writes a well-formed results.json', { timeout: 120_000 }, async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'waplug-bench-test-'))
    const out = path.join(dir, 'results.json')
    try {
      const child = spawn(process.execPath, ['--import', 'tsx', 'bench/run.ts', '--quick', '--rounds', '2', '--starts', '0', '--out', out])
      let output = ''
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
      const code = await new Promise<number | null>((resolve) => child.on('exit', resolve))
      assert.equal(code, 0, output)
      const results = JSON.parse(readFileSync(out, 'utf8')) as Results
      assert.match(results.command, /^npm run bench -- --quick/)
      assert.ok(results.machine.cores > 0 && results.machine.node.startsWith('v'))

      const measured = (what: string, side: LoadSide) => {
        assert.ok(side.count > 0, `${what}: nothing measured`)
        assert.equal(side.failures, 0, `${what}: failures`)
        assert.ok(side.perSecond > 0 && side.p50Ms > 0 && side.p99Ms >= side.p50Ms && side.botCpuMicrosPerOp > 0, `${what}: ${JSON.stringify(side)}`)
      }
      const compared = (what: string, c: Comparison) => {
        measured(`${what} runtime`, c.runtime)
        measured(`${what} raw`, c.raw)
        assert.ok(c.throughputRatio > 0 && Number.isFinite(c.p99OverheadMs), what)
      }
      compared('chat', results.chat)
      compared('POST /groups', results.http['POST /groups'])
      compared('GET /groups/:jid', results.http['GET /groups/:jid'])
      for (const [what, c] of Object.entries(results.atRest) as [string, Comparison][]) compared(`${what} one at a time`, c)
      for (const side of ['runtime', 'raw'] as const) {
        const start = results.startup[side]
        assert.ok(start.samples.length > 0 && start.openMs >= start.httpReadyMs && start.httpReadyMs > 0, `${side} start-up`)
        const memory = results.memory[side]
        assert.ok(memory.start.rssMb > 0 && memory.end.heapUsedMb > 0, `${side} memory`)
        assert.ok(memory.end.afterCommands > memory.start.afterCommands, `${side} memory after commands`)
        // One point per chat round (--rounds 2), counting up to the end.
        assert.deepEqual(memory.samples.map((p) => p.afterCommands > 0), [true, true], `${side} memory curve`)
        assert.equal(memory.samples.at(-1)?.afterCommands, memory.end.afterCommands)
        assert.ok(Number.isFinite(memory.heapSlopeMbPer1k), `${side} heap slope`)
      }
      assert.match(output, /runtime vs raw/)
      // 40 commands cannot say whether the heap grows over 10,000: the table must say so rather than pass it.
      assert.match(output, /not judged\s+no heap growth over 10,000 commands/)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
