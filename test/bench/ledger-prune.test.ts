import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { describe, it } from 'node:test'

// Keeps bench/ledger-prune.ts from rotting: a small record, checked for shape only.
describe('bench/ledger-prune.ts', () => {
  it('times three prunes and the longest wait of the event loop, the first deleting what is over the limit', { timeout: 60_000 }, async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'bench/ledger-prune.ts', '2000'])
    let output = ''
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve))
    assert.equal(code, 0, output)
    assert.match(output, /^prune 1: \d+ ms over 3000 records, 1000 deleted, longest wait of the event loop [\d.]+ ms$/m)
    assert.match(output, /^prune 3: \d+ ms over 2000 records, 0 deleted, longest wait of the event loop [\d.]+ ms$/m)
  })
})
