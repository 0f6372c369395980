import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { assertUnpaced, pacedGroupCalls } from '../../bench/paced.js'
import { API_KEY, pair, startEmulatedRuntime, type EmulatedRuntime } from '../support/emulated-runtime.js'

// The bench refuses figures taken while the runtime's pacer held group calls back:
// they would measure the pacer. This reads the count the way the bench does.
describe('bench/paced.ts', () => {
  let e: EmulatedRuntime

  before(async () => {
    // One call at once, then five a second: of three calls together, two at least wait (the one slot may be taken at connection).
    e = await startEmulatedRuntime({ config: { whatsapp: { groupCalls: { burst: 1, perSecond: 5, maxWaitMs: 10_000, pauseAfterLimitSeconds: 0 } } } })
    e.emulator.addContact({ phone: '15550002222', name: 'Member' })
    await pair(e)
  })
  after(async () => {
    await e.close()
  })

  it('counts no paced call before any has waited, then the ones that waited, and refuses them', async () => {
    assert.equal(await pacedGroupCalls(e.runtime.url, API_KEY), 0)
    await assertUnpaced('runtime', e.runtime.url, API_KEY)
    const created = await Promise.all([1, 2, 3].map((i) => e.request('POST', '/groups', { name: `Paced ${i}`, participants: ['15550002222'] })))
    assert.deepEqual(created.map((r) => r.status), [200, 200, 200])
    const paced = await pacedGroupCalls(e.runtime.url, API_KEY)
    assert.ok(paced >= 2 && paced <= 3, `${paced} paced calls`)
    await assert.rejects(assertUnpaced('runtime', e.runtime.url, API_KEY), /runtime: [23] group call\(s\) waited for the pacer or were refused by it, so its figures measure the pacer/)
  })
})
