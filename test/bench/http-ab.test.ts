import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { allowedCpus } from '../../bench/pin.js'
import { runBenchScript } from '../support/bench-script.js'

// Keeps bench/http-ab.ts from rotting: one round against this same checkout (its --against path), checked for shape only.
describe('bench/http-ab.ts', () => {
  it('loads two runtimes at once and compares their CPU per request', { timeout: 150_000, skip: allowedCpus().length < 2 && 'needs two cores' }, async () => {
    const { code, output } = await runBenchScript(['bench/http-ab.ts', '1', '--against', '.', '--env-b', '{"LOG_LEVEL":"warn"}'])
    assert.equal(code, 0, output)
    assert.match(output, /^A: this checkout; B: \/.+ with \{"LOG_LEVEL":"warn"\}$/m)
    assert.match(output, /^round 1: A \d+ µs \(\d+ requests\), B \d+ µs \(\d+\): B\/A × \d\.\d{3}$/m)
    assert.match(output, /^B\/A: × \d\.\d{3} over all requests, median of the rounds × \d\.\d{3}, rounds from × \d\.\d{3} to × \d\.\d{3}$/m)
  })

  it('with --chat, compares their CPU per chat round trip instead', { timeout: 150_000, skip: allowedCpus().length < 2 && 'needs two cores' }, async () => {
    const { code, output } = await runBenchScript(['bench/http-ab.ts', '1', '--chat'])
    assert.equal(code, 0, output)
    assert.match(output, /^round 1: A \d+ µs \(250 round trips\), B \d+ µs \(250\): B\/A × \d\.\d{3}$/m)
    assert.match(output, /^CPU per round trip: A \d+ µs, B \d+ µs/m)
  })

  it('says what --env-b takes when it is not a JSON object of strings', async () => {
    const { code, output } = await runBenchScript(['bench/http-ab.ts', '1', '--env-b', 'LOG_LEVEL=warn'])
    assert.notEqual(code, 0)
    assert.match(output, /--env-b takes a JSON object of strings, such as '\{"LOG_LEVEL":"warn"\}', not LOG_LEVEL=warn/)
  })
})
