import assert from 'node:assert/strict'
import { afterEach, describe, it } from 'node:test'
import { cpuTime, usage } from '../../bench/bot-ipc.js'

// A bot under the bench runs with --expose-gc; here a stand-in collection that
// burns CPU shows whether a reading would charge a measured window for it.
const BURN_MS = 60
const global = globalThis as { gc?: () => void }
const original = global.gc
let collections = 0
// Burns CPU time, not wall time: on a busy machine a wall-time loop is descheduled and burns less.
function burningGc(): void {
  collections++
  const cpu = () => {
    const { user, system } = process.cpuUsage()
    return user + system
  }
  const until = cpu() + BURN_MS * 1000
  while (cpu() < until);
}

describe('the CPU readings that open and close a measured window', () => {
  afterEach(() => {
    global.gc = original
    collections = 0
  })

  it('force no collection: a round starts with the heap and the compiled code the bot had', () => {
    global.gc = burningGc
    const reading = cpuTime()
    assert.equal(collections, 0)
    assert.ok(reading.cpuMicros > 0)
  })

  it('leave the collection a memory reading forces out of the CPU time it reports', () => {
    global.gc = burningGc
    const reading = usage()
    const now = process.cpuUsage()
    assert.equal(collections, 1)
    assert.ok(reading.heapUsed > 0)
    // The burn happened after the reading: the reported time is short of now by about all of it.
    assert.ok(now.user + now.system - reading.cpuMicros >= (BURN_MS - 10) * 1000, `${now.user + now.system - reading.cpuMicros} µs`)
  })
})
