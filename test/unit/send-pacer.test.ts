import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { WhatsAppError } from '../../core/index.js'
import { SendPacer, type SendPacingOptions } from '../../core/whatsapp/messages/send-pacer.js'

function pacer(options: Partial<SendPacingOptions> = {}) {
  const clock = { now: 1_000_000 }
  const p = new SendPacer({ perSecond: 10, burst: 10, perChatPerSecond: 10, perChatBurst: 10, maxWaitSeconds: 0, ...options }, () => clock.now)
  const sent: string[] = []
  const send = (chat: string) => p.run(chat, async () => void sent.push(chat))
  return { p, clock, sent, send }
}

async function refusal(promise: Promise<unknown>): Promise<WhatsAppError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  assert.ok(error instanceof WhatsAppError, 'refused with a WhatsAppError')
  return error
}

describe('send pacing', () => {
  it('holds one chat to its own rate while other chats still get through', async () => {
    const { send, sent } = pacer({ perChatBurst: 2, perChatPerSecond: 1 })
    await send('a')
    await send('a')
    const error = await refusal(send('a'))
    assert.equal(error.kind, 'rate-limited')
    assert.equal(error.retryAfterSeconds, 1)
    await send('b')
    assert.deepEqual(sent, ['a', 'a', 'b'])
  })

  it('holds the whole number to the overall rate, over every chat', async () => {
    const { send, sent, clock } = pacer({ burst: 3, perSecond: 0.5 })
    await send('a')
    await send('b')
    await send('c')
    const error = await refusal(send('d'))
    assert.equal(error.retryAfterSeconds, 2, 'a slot comes every 2 s')
    assert.match(error.message, /would wait 2 s \(more than messages\.pacing\.maxWaitSeconds\)/)
    clock.now += 2000
    await send('d')
    assert.deepEqual(sent, ['a', 'b', 'c', 'd'])
  })

  it('a refused send takes no slot: the next one after the wait goes at once', async () => {
    const { send, clock } = pacer({ burst: 1, perSecond: 1 })
    await send('a')
    await refusal(send('a'))
    await refusal(send('b'))
    clock.now += 1000
    await send('b')
  })

  it('waits for a slot within maxWaitSeconds, and tells how long to wait beyond it', async () => {
    const p = new SendPacer({ perSecond: 20, burst: 1, perChatPerSecond: 20, perChatBurst: 1, maxWaitSeconds: 0.2 })
    const started = Date.now()
    await p.run('a', async () => undefined)
    await p.run('a', async () => undefined)
    assert.ok(Date.now() - started >= 40, 'the second send waited for its slot')
    const slow = new SendPacer({ perSecond: 0.1, burst: 1, perChatPerSecond: 1, perChatBurst: 1, maxWaitSeconds: 3 })
    await slow.run('a', async () => undefined)
    const error = await refusal(slow.run('b', async () => undefined))
    assert.equal(error.retryAfterSeconds, 7, 'in 7 s the wait is within the 3 s allowed')
  })

  it('gives the slot back when the wait is cancelled, with the reason', async () => {
    const p = new SendPacer({ perSecond: 1, burst: 1, perChatPerSecond: 1, perChatBurst: 1, maxWaitSeconds: 5 })
    await p.run('a', async () => undefined)
    const cancel = new AbortController()
    const waiting = p.run('a', async () => 'sent', cancel.signal)
    cancel.abort(new WhatsAppError('not-connected', 'WhatsApp is not connected'))
    assert.equal((await refusal(waiting)).kind, 'not-connected')
  })
})
