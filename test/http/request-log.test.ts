import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { pino } from 'pino'
import { captureStream } from '../support/capture.js'
import { startHarness, type Harness } from '../support/harness.js'

interface Line {
  level: number
  msg: string
  requestId?: string
  action?: string
  status?: number
  error?: string
}

const INFO = 30

describe('the log of an HTTP request', () => {
  const out = captureStream()
  let h: Harness
  const lines = (): Line[] =>
    out
      .text()
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Line)
  const about = (requestId: string): Line[] => lines().filter((line) => line.requestId === requestId && line.level >= INFO)

  before(async () => {
    h = await startHarness({ logger: pino({ level: 'info' }, out.stream) })
  })
  after(() => h.close())

  it('is one line naming the action, its status and the request id, for an action that succeeded', async () => {
    const { status, headers } = await h.request('POST', '/groups', { body: { name: 'Logged', participants: ['15550002222@s.whatsapp.net'] } })
    assert.equal(status, 200)
    const requestId = headers.get('x-request-id') ?? ''
    const logged = about(requestId)
    assert.equal(logged.length, 1, JSON.stringify(logged))
    assert.deepEqual({ msg: logged[0]?.msg, action: logged[0]?.action, status: logged[0]?.status }, { msg: 'http request', action: 'groups.create', status })
  })

  it('keeps the reason when an action refuses, beside the request line', async () => {
    const { headers } = await h.request('POST', '/groups', { body: { participants: ['15550002222@s.whatsapp.net'] } })
    const logged = about(headers.get('x-request-id') ?? '')
    assert.deepEqual(logged.map((line) => line.msg).sort(), ['action refused or failed', 'http request'])
    assert.match(logged.find((line) => line.msg === 'action refused or failed')?.error ?? '', /name/)
  })

  it('has no action for a route of the runtime itself', async () => {
    const { headers } = await h.request('GET', '/session')
    const logged = about(headers.get('x-request-id') ?? '')
    assert.equal(logged.length, 1)
    assert.equal(logged[0]?.action, undefined)
  })
})
