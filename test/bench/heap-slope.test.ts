import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { heapSlope } from '../../bench/results.js'

const point = (afterCommands: number, heapUsedMb: number) => ({ afterCommands, rssMb: 0, heapUsedMb })

// The memory goal is judged on this slope, so it must tell a leak from noise.
describe('heap growth per 1,000 commands', () => {
  it('reads a steady leak as its rate, whatever the starting heap', () => {
    const leak = [1000, 2000, 3000, 4000, 5000].map((n) => point(n, 40 + (n / 1000) * 0.5))
    assert.equal(heapSlope(leak), 0.5)
  })

  it('reads a flat heap with a jitter as about zero', () => {
    const flat = [45.1, 44.8, 45.3, 44.9, 45.2, 45.0].map((mb, i) => point(1000 * (i + 1), mb))
    assert.ok(Math.abs(heapSlope(flat)) < 0.05, String(heapSlope(flat)))
  })

  it('cannot fit a line to one point', () => {
    assert.equal(heapSlope([point(1000, 45)]), 0)
  })
})
