import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { WhatsAppError } from '../../core/index.js'
import { GroupPacer } from '../../core/whatsapp/groups/group-pacer.js'

const ok = () => Promise.resolve('done')

function pacer(options: Partial<ConstructorParameters<typeof GroupPacer>[0]> = {}) {
  const clock = { now: 1_000_000 }
  const p = new GroupPacer({ burst: 2, perSecond: 1, maxWaitMs: 1500, pauseAfterLimitSeconds: 60, now: () => clock.now, ...options })
  return { p, clock }
}

async function refusal(promise: Promise<unknown>): Promise<WhatsAppError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  assert.ok(error instanceof WhatsAppError, 'refused with a WhatsAppError')
  return error
}

describe('group call pacing', () => {
  it('lets a burst through, then refuses a call that would wait longer than allowed, saying when to retry', async () => {
    const { p } = pacer({ burst: 2, perSecond: 0.5, maxWaitMs: 1000 })
    assert.equal(await p.run(ok), 'done')
    assert.equal(await p.run(ok), 'done')
    const error = await refusal(p.run(ok))
    assert.equal(error.kind, 'rate-limited')
    assert.equal(error.retryAfterSeconds, 2)
  })

  it('refills over time', async () => {
    const { p, clock } = pacer({ burst: 1, perSecond: 1, maxWaitMs: 0 })
    await p.run(ok)
    await refusal(p.run(ok))
    clock.now += 1000
    assert.equal(await p.run(ok), 'done')
  })

  it("after WhatsApp's rate-overlimit, refuses every call without making it until the pause is over", async () => {
    const { p, clock } = pacer({ burst: 10, pauseAfterLimitSeconds: 60 })
    const limited = await refusal(p.run(() => Promise.reject(new WhatsAppError('rate-limited', 'rate-overlimit', 429))))
    assert.equal(limited.retryAfterSeconds, 60)
    clock.now += 45_000
    let called = false
    const during = await refusal(
      p.run(() => {
        called = true
        return ok()
      }),
    )
    assert.equal(during.retryAfterSeconds, 15)
    assert.equal(called, false)
    clock.now += 15_000
    assert.equal(await p.run(ok), 'done')
  })

  it('passes other failures through untouched', async () => {
    const { p } = pacer()
    const error = await refusal(p.run(() => Promise.reject(new WhatsAppError('not-authorized', 'not-authorized', 403))))
    assert.equal(error.kind, 'not-authorized')
    assert.equal(await p.run(ok), 'done', 'no pause follows')
  })

  it('ends the wait of a queued call at once when its connection ends, and gives its slot back', async () => {
    const { p, clock } = pacer({ burst: 1, perSecond: 0.01, maxWaitMs: 600_000 })
    await p.run(ok)
    const connection = new AbortController()
    let ran = false
    const queued = p.run(async () => {
      ran = true
      return 'done'
    }, connection.signal)
    connection.abort(new WhatsAppError('not-connected', 'WhatsApp is not connected'))
    assert.equal((await refusal(queued)).kind, 'not-connected')
    assert.equal(ran, false)
    clock.now += 100_000
    const next = await Promise.race([p.run(ok), new Promise((resolve) => setTimeout(resolve, 200, 'still waiting'))])
    assert.equal(next, 'done', 'one slot refilled is enough: the cancelled call does not owe one')
  })
})
