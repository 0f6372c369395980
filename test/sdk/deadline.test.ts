import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { defineAction, definePlugin } from 'waplug'
import { startTestBot } from 'waplug/testing'

/** What each handler saw of its signal when the time limit came. */
const seen: { aborted: boolean; reason: string }[] = []

const slow = definePlugin({
  name: 'slow',
  version: '1.0.0',
  setup(plugin) {
    plugin.action(
      defineAction({
        name: 'listen',
        summary: 'Wait until told to stop',
        needsWhatsApp: false,
        input: { type: 'object', properties: {} },
        http: { method: 'POST', path: '/listen' },
        successMessage: 'Stopped',
        failureMessage: 'Failed to listen',
        handler: (_input, { signal }) =>
          new Promise((resolve) => {
            signal.addEventListener('abort', () => {
              seen.push({ aborted: signal.aborted, reason: String(signal.reason) })
              resolve({})
            })
          }),
      }),
    )
    plugin.action(
      defineAction({
        name: 'ignore',
        summary: 'Wait and never look at the signal',
        needsWhatsApp: false,
        input: { type: 'object', properties: {} },
        http: { method: 'POST', path: '/ignore' },
        successMessage: 'Done',
        failureMessage: 'Failed to ignore',
        handler: () => new Promise(() => undefined),
      }),
    )
  },
})

describe('an action that runs out of time', () => {
  it('has its signal aborted, so the handler can stop, and the caller gets 504', async (t) => {
    const bot = await startTestBot(t, { plugins: [slow], config: { actions: { timeoutMs: 200 } } })
    const listened = await bot.request('POST', '/listen')
    assert.deepEqual([listened.status, listened.envelope], [504, { status: false, code: 504, message: 'Gateway timeout', error: 'Failed to listen: it did not finish within 200 ms' }])
    assert.equal(seen.length, 1)
    assert.equal(seen[0]?.aborted, true)
    assert.match(seen[0]?.reason ?? '', /AbortError/)

    // A handler that never reads its signal is cut off all the same.
    const ignored = await bot.request('POST', '/ignore')
    assert.deepEqual([ignored.status, ignored.envelope], [504, { status: false, code: 504, message: 'Gateway timeout', error: 'Failed to ignore: it did not finish within 200 ms' }])
  })
})
