import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { resolve } from '../../core/container.js'
import { createLogger } from '../../core/logger.js'
import { Tokens } from '../../core/tokens.js'
import { captureStream } from '../support/capture.js'
import { unrefTimersOf } from '../support/cut-off-timers.js'
import { API_KEY, BOT_PHONE, pair, startEmulatedRuntime, until } from '../support/emulated-runtime.js'

// Far longer than the silence limit below: an answer before it cannot be the query timing out.
const QUERY_TIMEOUT_MS = 61_000
unrefTimersOf(QUERY_TIMEOUT_MS)

describe('the WhatsApp connection on the emulator', () => {
  it('pairs by code when a pairing phone is configured', async () => {
    const e = await startEmulatedRuntime({ config: { whatsapp: { pairingPhone: `+${BOT_PHONE}` } } })
    try {
      await e.waitForState('pairing')
      await until(() => e.runtime.whatsapp.pairingCode !== undefined, 'a pairing code')
      const { envelope } = await e.request('GET', '/session')
      const code = (envelope as { data: { pairing_code: string } }).data.pairing_code
      assert.match(code, /^[A-Z0-9]{8}$/)
      await e.emulator.confirmPairingCode(code)
      await e.waitForState('open')
      assert.equal(e.runtime.whatsapp.me?.jid, `${BOT_PHONE}@s.whatsapp.net`)
    } finally {
      await e.close()
    }
  })

  it('pairing logs no error: the 515 restart that follows it is not one', async () => {
    const out = captureStream()
    const logger = createLogger({ log: { level: 'debug', pretty: false } }, out.stream)
    const e = await startEmulatedRuntime({ logger, config: { whatsapp: { logLevel: 'debug' } } })
    try {
      await pair(e)
      await until(() => out.text().includes('WhatsApp connected'), 'the connection after the restart')
      const lines = out
        .text()
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as { level: number; msg: string; component?: string })
      assert.deepEqual(lines.filter((line) => line.level >= 50).map((line) => `${line.component}: ${line.msg}`), [])
      assert.ok(lines.some((line) => line.component === 'baileys' && line.msg === 'WhatsApp asked for a restart (515)' && line.level === 20), 'the restart, at debug')
      assert.ok(lines.some((line) => line.msg === 'WhatsApp asked for a new connection; reconnecting' && line.level === 30))
    } finally {
      await e.close()
    }
  })

  it('reconnects after a dropped socket, answers 503 meanwhile, and works again after', async () => {
    const out = captureStream()
    const e = await startEmulatedRuntime({ logger: createLogger({ log: { level: 'info', pretty: false } }, out.stream) })
    try {
      await pair(e)
      const states: string[] = []
      e.runtime.whatsapp.onState((s) => states.push(s))
      e.emulator.faults.dropConnection()
      await e.waitForState('connecting')
      const during = await e.request('POST', '/groups', { name: 'During' })
      assert.equal(during.status, 503)
      await e.waitForState('open', 15_000)
      assert.deepEqual(states.slice(0, 1), ['connecting'])
      const { status } = await e.request('POST', '/groups', { name: 'After the drop' })
      assert.equal(status, 200)
      // It had reached WhatsApp: the connection was lost, not out of reach.
      assert.match(out.text(), /"msg":"WhatsApp connection lost: [^"]+; reconnecting in \d+(\.\d)? s"/)
      assert.doesNotMatch(out.text(), /cannot reach WhatsApp/)
    } finally {
      await e.close()
    }
  })

  it('notices a connection gone silent within whatsapp.silentAfterSeconds, fails the call waiting on it, and reconnects', async () => {
    const silentAfterSeconds = 3
    const e = await startEmulatedRuntime({ config: { whatsapp: { silentAfterSeconds, queryTimeoutMs: QUERY_TIMEOUT_MS }, actions: { timeoutMs: 2 * QUERY_TIMEOUT_MS } } })
    try {
      await pair(e)
      e.emulator.faults.silence()
      const waiting = fetch(`${e.runtime.url}/groups`, {
        method: 'POST',
        headers: { authorization: API_KEY, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'Into the silence' }),
        signal: AbortSignal.timeout(15_000),
      }).then(async (response) => ({ status: response.status, error: ((await response.json()) as { error: string }).error }))
      // Should the state checks below fail, theirs is the failure to report.
      waiting.catch(() => undefined)
      // The limit, and a second for a busy machine: Baileys alone would take 35 s or more here.
      await e.waitForState('connecting', silentAfterSeconds * 1000 + 1000)
      await e.waitForState('open')
      const answer = await waiting
      assert.equal(answer.status, 504, 'the create never reached WhatsApp, but nothing could tell the runtime so')
      assert.match(answer.error, /it is not known whether the group "Into the silence" was created/)
      assert.equal(e.emulator.groups().filter((g) => g.subject === 'Into the silence').length, 0)
      assert.equal((await e.request('POST', '/groups', { name: 'After the silence' })).status, 200)
    } finally {
      await e.close()
    }
  })

  it('stops without reconnecting when the session is opened elsewhere (440)', async () => {
    const e = await startEmulatedRuntime()
    try {
      await pair(e)
      e.emulator.faults.streamError(440)
      await e.waitForState('closed')
      await new Promise((resolve) => setTimeout(resolve, 1500))
      assert.equal(e.runtime.whatsapp.state, 'closed')
      assert.equal(e.emulator.connected(), false)
    } finally {
      await e.close()
    }
  })

  it('clears the stored session and goes back to pairing when logged out (401)', async () => {
    const e = await startEmulatedRuntime()
    try {
      await pair(e)
      const auth = resolve(e.runtime.container, Tokens.Storage).authStore()
      assert.ok((await auth.snapshot('default'))?.creds.me, 'the paired session is stored')
      e.emulator.faults.streamError(401)
      await e.waitForState('logged-out')
      await e.waitForState('pairing')
      assert.ok(e.runtime.whatsapp.qr)
      assert.equal((await auth.snapshot('default'))?.creds.me, undefined, 'the old registration is gone from the store')
      // A new QR belongs to a new registration: the old one was thrown away.
      await pair(e)
      assert.equal(e.runtime.whatsapp.state, 'open')
    } finally {
      await e.close()
    }
  })

  it('POST /session/logout unlinks the device, answers the state after it, forgets the number, and returns to pairing', async () => {
    const e = await startEmulatedRuntime()
    try {
      await pair(e)
      const before = (await e.request('GET', '/session')).envelope as { data: { jid: string | null } }
      assert.ok(before.data.jid, 'paired: the session has a number')
      const { status, envelope } = await e.request('POST', '/session/logout')
      assert.equal(status, 200)
      assert.deepEqual(envelope, { status: true, code: 200, message: 'Logged out; pair again to reconnect', data: { state: 'logged-out' } })
      const after = (await e.request('GET', '/session')).envelope as { data: { state: string; jid: string | null; lid: string | null } }
      assert.notEqual(after.data.state, 'open')
      assert.deepEqual([after.data.jid, after.data.lid], [null, null], 'the number it was is no longer shown')
      await e.waitForState('pairing')
      const pairing = (await e.request('GET', '/session')).envelope as { data: { jid: string | null } }
      assert.equal(pairing.data.jid, null)
    } finally {
      await e.close()
    }
  })

  it('answers 504 when WhatsApp answers neither a create nor the look for it afterwards, saying where to look', async () => {
    const e = await startEmulatedRuntime({ config: { whatsapp: { queryTimeoutMs: 500 } } })
    try {
      await pair(e)
      e.emulator.faults.swallowIq({ xmlns: 'w:g2' })
      const { status, envelope } = await e.request('POST', '/groups', { name: 'Lost' })
      assert.equal(status, 504)
      assert.deepEqual(envelope, {
        status: false,
        code: 504,
        message: 'Gateway timeout',
        error: `WhatsApp's answer never came, so it is not known whether the group "Lost" was created; it may have been. Look for it with GET /groups?refresh=true before creating it again`,
      })
    } finally {
      await e.close()
    }
  })

  it('answers 500 "Failed to create group" when WhatsApp refuses the create', async () => {
    const e = await startEmulatedRuntime()
    try {
      await pair(e)
      e.emulator.faults.refuseGroupOp('create', 500)
      const { status, envelope } = await e.request('POST', '/groups', { name: 'Refused' })
      assert.equal(status, 500)
      assert.deepEqual(envelope, { status: false, code: 500, message: 'Internal server error', error: 'Failed to create group' })
    } finally {
      await e.close()
    }
  })
})
