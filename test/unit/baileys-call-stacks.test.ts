import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { DisconnectReason, promiseTimeout } from '@whiskeysockets/baileys'
import { baileysSettlesCallsWithoutStacks } from '../../core/whatsapp/baileys-patch.js'

/** How many stack traces were formatted while `run` ran (Node hands each formatting to Error.prepareStackTrace). */
async function stacksFormatted(run: () => Promise<unknown>): Promise<number> {
  const before = Object.getOwnPropertyDescriptor(Error, 'prepareStackTrace')
  let formatted = 0
  Error.prepareStackTrace = (error) => {
    formatted++
    return String(error)
  }
  try {
    await run()
  } finally {
    if (before) Object.defineProperty(Error, 'prepareStackTrace', before)
    else Reflect.deleteProperty(Error, 'prepareStackTrace')
  }
  return formatted
}

// Every frame Baileys sends and every query it makes go through promiseTimeout.
describe('Baileys calls (patched)', () => {
  it('a call that settles formats no stack trace', async () => {
    assert.equal(baileysSettlesCallsWithoutStacks(), true)
    let result: unknown
    const formatted = await stacksFormatted(async () => {
      result = await promiseTimeout<string>(60_000, (resolve) => resolve('answered'))
    })
    assert.equal(result, 'answered')
    assert.equal(formatted, 0)
  })

  it('a call that fails gives its own error, and one that never settles still times out', async () => {
    await assert.rejects(
      promiseTimeout(60_000, (_, reject) => reject(new Error('refused'))),
      /refused/,
    )
    await assert.rejects(promiseTimeout(20, () => undefined), (error: { output?: { statusCode?: number }; message?: string }) => {
      assert.equal(error.output?.statusCode, DisconnectReason.timedOut)
      assert.match(error.message ?? '', /Timed Out/)
      return true
    })
  })
})
