import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { runBenchScript } from '../support/bench-script.js'

// Keeps bench/ledger-prune.ts from rotting: a small record, checked for shape only.
describe('bench/ledger-prune.ts', () => {
  it('times three prunes and the longest wait of the event loop, the first deleting what is over the limit', { timeout: 60_000 }, async () => {
    const { code, output } = await runBenchScript(['bench/ledger-prune.ts', '2000'])
    assert.equal(code, 0, output)
    assert.match(output, /^prune 1: \d+ ms over 3000 records, 1000 deleted, longest wait of the event loop [\d.]+ ms$/m)
    assert.match(output, /^prune 3: \d+ ms over 2000 records, 0 deleted, longest wait of the event loop [\d.]+ ms$/m)
  })
})
