import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, it } from 'node:test'
import type { Comparison, LoadSide, Results, StartSide, StoreComparison } from '../../bench/results.js'
import { runBenchScript } from '../support/bench-script.js'

// Keeps the bench from rotting: the smallest run there is, checked for shape
// only. Its speed is the bench's business, never a test's.
describe('npm run bench -- --quick --stores', () => {
  it('measures both sides of every comparison, the auth stores too, and writes a well-formed results.json', { timeout: 150_000 }, async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'waplug-bench-test-'))
    const out = path.join(dir, 'results.json')
    try {
      const { code, output } = await runBenchScript(['bench/run.ts', '--quick', '--stores', '--rounds', '2', '--starts', '0', '--out', out])
      assert.equal(code, 0, output)
      // The emulator's contacts run libsignal in the bench's process; its session dumps carry private keys.
      assert.doesNotMatch(output, /privKey|Closing session|Opening session/)
      const results = JSON.parse(readFileSync(out, 'utf8')) as Results
      assert.match(results.command, /^npm run bench -- --quick/)
      assert.ok(results.machine.cores > 0 && results.machine.node.startsWith('v'))

      const measured = (what: string, side: LoadSide) => {
        assert.ok(side.count > 0, `${what}: nothing measured`)
        assert.equal(side.failures, 0, `${what}: failures`)
        assert.ok(side.perSecond > 0 && side.p50Ms > 0 && side.p99Ms >= side.p50Ms && side.botCpuMicrosPerOp > 0, `${what}: ${JSON.stringify(side)}`)
        assert.equal(side.rounds.length, 2, `${what}: one figure per round`)
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
      const started = (what: string, start: StartSide) =>
        assert.ok(start.samples.length > 0 && start.openMs >= start.httpReadyMs && start.httpReadyMs > 0 && start.loginMs >= 0, `${what} start-up`)
      for (const side of ['runtime', 'raw'] as const) {
        started(side, results.startup[side])
        const memory = results.memory[side]
        assert.ok(memory.start.rssMb > 0 && memory.end.heapUsedMb > 0, `${side} memory`)
        assert.ok(memory.end.afterCommands > memory.start.afterCommands, `${side} memory after commands`)
        // One point per chat round (--rounds 2), counting up to the end.
        assert.deepEqual(memory.samples.map((p) => p.afterCommands > 0), [true, true], `${side} memory curve`)
        assert.equal(memory.samples.at(-1)?.afterCommands, memory.end.afterCommands)
        assert.ok(Number.isFinite(memory.heapSlopeMbPer1k), `${side} heap slope`)
      }
      // The same runtime on two auth stores, in the same rounds as the rest.
      const stores = <A extends string, B extends string>(what: string, s: StoreComparison<A, B> | undefined, a: A, b: B) => {
        assert.ok(s, `${what}: not measured`)
        for (const [measure, v] of [['chat', s.chat], ['chat one at a time', s.atRest]] as const) {
          measured(`${what} ${measure} ${a}`, v[a])
          measured(`${what} ${measure} ${b}`, v[b])
          assert.ok(v.throughputRatio > 0 && v.cpuRatio > 0 && Number.isFinite(v.p99OverheadMs), `${what} ${measure}`)
        }
        for (const side of [a, b]) {
          started(`${what} ${side}`, s.startup[side])
          assert.equal(s.memory[side].end.afterCommands, results.memory.runtime.end.afterCommands, `${what} ${side} memory`)
        }
      }
      stores('LMDB vs files', results.stores?.files, 'lmdb', 'files')
      stores('cached vs LMDB', results.stores?.cached, 'cached', 'lmdb')
      // The LMDB side of both is the runtime column itself, not another run.
      assert.deepEqual(results.stores?.files.chat.lmdb, results.chat.runtime)
      assert.match(output, /runtime vs raw/)
      assert.match(output, /LMDB vs files/)
      assert.match(output, /cached vs LMDB/)
      // 40 commands cannot say whether the heap grows over 10,000: the table must say so rather than pass it.
      assert.match(output, /not judged\s+no heap growth over 10,000 commands/)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
