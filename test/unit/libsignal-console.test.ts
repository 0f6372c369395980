import assert from 'node:assert/strict'
import { describe, it, mock } from 'node:test'
import { createLogger } from '../../core/logger.js'
import { routeLibsignalConsole } from '../../core/whatsapp/libsignal-console.js'
import { captureStream } from '../support/capture.js'

/** What console.* wrote to stdout and stderr while `run` ran. */
function consoleOutput(run: () => void): string {
  let written = ''
  const capture = (chunk: string | Uint8Array) => {
    written += String(chunk)
    return true
  }
  const spies = [mock.method(process.stdout, 'write', capture), mock.method(process.stderr, 'write', capture)]
  try {
    run()
  } finally {
    for (const spy of spies) spy.mock.restore()
  }
  return written
}

describe("libsignal's console lines", () => {
  it('go to the debug log as text, without the session record and its keys, and other console lines are untouched', () => {
    const logs = captureStream()
    const stop = routeLibsignalConsole(createLogger({ log: { level: 'debug', pretty: false } }, logs.stream))
    const secret = Buffer.from('private-key-bytes-0123456789abcd')
    const printed = consoleOutput(() => {
      console.info('Closing session:', { indexInfo: { baseKey: secret }, currentRatchet: { ephemeralKeyPair: { privKey: secret } } })
      console.warn('Session already closed', { privKey: secret })
      console.info('a line of somebody else')
    })
    stop()
    assert.equal(printed, 'a line of somebody else\n')
    const lines = logs.text().trim().split('\n').map((line) => JSON.parse(line) as { level: number; msg: string; component: string })
    assert.deepEqual(lines.map(({ level, msg, component }) => ({ level, msg, component })), [
      { level: 20, msg: 'Closing session', component: 'libsignal' },
      { level: 20, msg: 'Session already closed', component: 'libsignal' },
    ])
    assert.doesNotMatch(logs.text(), /private-key-bytes|cHJpdmF0ZS1rZXktYnl0ZXM/)
  })
})
