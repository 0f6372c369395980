import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { Results } from '../../bench/results.js'
import { goals } from '../../bench/table.js'

// The HTTP goals are held against two bots by hand: on the project's patched Baileys (what the runtime's own layers cost)
// and, with --peers, on Baileys as published (what a person writing the bot installs). Each gets its own lines.
const route = (throughputRatio: number, cpuRatio: number) => ({ throughputRatio, cpuRatio, runtime: { p50Ms: 1 }, raw: { p50Ms: 1 }, published: { p50Ms: 1 } })
const memory = { end: { afterCommands: 1500 }, heapSlopeMbPer1k: 0 }

function results(http: [number, number], published?: [number, number]): Results {
  const both = { 'POST /groups': route(...http), 'GET /groups/:jid': route(1.3, 0.8) }
  return {
    chat: route(1, 1),
    http: both,
    atRest: { chat: route(1, 1), ...both },
    memory: { runtime: memory, raw: memory },
    ...(published ? { peers: { published: { http: { 'POST /groups': route(...published), 'GET /groups/:jid': route(2.7, 0.35) } } } } : {}),
  } as unknown as Results
}

const verdict = (r: Results, goal: RegExp) => goals(r).find((g) => goal.test(g.goal))

describe('the goals of a bench run', () => {
  it('judges the HTTP goals against the bot on the patched install, and has no lines for Baileys as published without --peers', () => {
    const r = results([0.712, 1.471])
    assert.equal(verdict(r, /^HTTP throughput runtime\/raw ≥/)?.met, false)
    assert.equal(verdict(r, /^HTTP bot CPU per request runtime\/raw ≤/)?.met, false)
    assert.equal(verdict(r, /as published/), undefined)
  })

  it('with --peers, judges the same goals against the bot on Baileys as published, on lines of their own', () => {
    const r = results([0.712, 1.471], [1.269, 0.768])
    assert.deepEqual(verdict(r, /^HTTP throughput runtime\/raw on Baileys as published/), {
      goal: 'HTTP throughput runtime/raw on Baileys as published ≥ 0.90',
      met: true,
      figure: '1.269, 2.700',
    })
    assert.equal(verdict(r, /^HTTP bot CPU per request runtime\/raw on Baileys as published/)?.met, true)
    assert.equal(verdict(r, /^HTTP throughput runtime\/raw ≥/)?.met, false, 'the patched yardstick is still judged, and still missed')
  })

  it('misses a goal against Baileys as published when either route misses it', () => {
    const r = results([0.712, 1.471], [0.89, 1.16])
    assert.equal(verdict(r, /^HTTP throughput runtime\/raw on Baileys as published/)?.met, false)
    assert.equal(verdict(r, /^HTTP bot CPU per request runtime\/raw on Baileys as published/)?.met, false)
  })
})
