import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { it } from 'node:test'
import type { LoadSide } from '../../bench/results.js'
import type { WebhooksResults } from '../../bench/webhooks.js'
import { runBenchScript } from '../support/bench-script.js'

// Keeps the webhooks bench from rotting: the smallest run, checked for shape only, never for speed.
it('npm run bench -- --webhooks --quick compares the chat with and without a subscription, and times deliveries and a drain', { timeout: 150_000 }, async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'waplug-bench-webhooks-test-'))
  const out = path.join(dir, 'webhooks.json')
  try {
    const { code, output } = await runBenchScript(['bench/run.ts', '--webhooks', '--quick', '--out', out])
    assert.equal(code, 0, output)
    const results = JSON.parse(readFileSync(out, 'utf8')) as WebhooksResults
    assert.match(results.command, /^npm run bench -- --webhooks --quick/)
    assert.ok(results.machine.cores > 0)

    const measured = (what: string, side: LoadSide) => {
      assert.ok(side.count > 0 && side.failures === 0, `${what}: ${JSON.stringify(side)}`)
      assert.ok(side.perSecond > 0 && side.p99Ms >= side.p50Ms && side.botCpuMicrosPerOp > 0, `${what}: ${JSON.stringify(side)}`)
      assert.equal(side.rounds.length, results.options.rounds, `${what}: one figure per round`)
    }
    const { chat, steady, burst } = results
    measured('with a subscription', chat.webhooks)
    measured('without', chat.none)
    assert.ok(chat.throughputRatio > 0 && chat.cpuRatio > 0 && Number.isFinite(chat.p50OverheadMs))
    // Every round trip is at least the !ping received; nothing is left owed once the rounds drained.
    assert.ok(chat.eventsDelivered >= chat.webhooks.count && chat.eventsPerRoundTrip >= 1, JSON.stringify(chat))
    assert.equal(chat.pendingAfter, 0)

    assert.ok(steady.roundTrips > 0 && steady.texts >= steady.roundTrips, JSON.stringify(steady))
    assert.ok(steady.delivered >= steady.texts + steady.roundTrips && steady.eventsPerSecond > 0, JSON.stringify(steady))
    assert.ok((steady.byType['message.received'] ?? 0) >= steady.texts + steady.roundTrips, JSON.stringify(steady.byType))

    assert.equal(burst.events, results.options.burst)
    assert.ok(burst.pendingWhileDown >= burst.events, JSON.stringify(burst))
    assert.ok(burst.timeToDrainMs >= burst.drainMs && burst.eventsPerSecond > 0, JSON.stringify(burst))
    assert.match(output, /events delivered per round trip/)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})
