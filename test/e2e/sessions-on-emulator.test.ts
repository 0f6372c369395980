// Three numbers in one runtime, with the real Baileys client on the emulator:
// `default`, one session paired by QR from GET /sessions/:session, one by a
// pairing code. Each number answers its own commands; groups stay with the
// number that made them; a session key reaches only its session; logging out
// or deleting one leaves the others working; after a restart all log in
// again without a QR.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { installSignal, type SignalLayer } from '../../emulator/signal/index.js'
import { pair, startEmulatedRuntime, until, type EmulatedRuntime } from '../support/emulated-runtime.js'

const OWNER = '15550001111'
const SALES_PHONE = '15550000002'
const SUPPORT_PHONE = '15550000003'

interface SessionData {
  id: string
  state: string
  jid: string | null
  qr: string | null
  pairing_code: string | null
}

describe('many sessions on the WhatsApp emulator', () => {
  let e: EmulatedRuntime
  let signal: SignalLayer

  const session = async (id: string): Promise<SessionData> => ((await e.request('GET', `/sessions/${id}`)).envelope as { data: SessionData }).data
  const waitFor = async (id: string, check: (data: SessionData) => boolean, what: string, timeoutMs = 15_000): Promise<SessionData> => {
    let last: SessionData | undefined
    const deadline = Date.now() + timeoutMs
    while (Date.now() < deadline) {
      last = await session(id)
      if (check(last)) return last
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
    throw new Error(`session '${id}' never showed ${what}; it is ${JSON.stringify(last)}`)
  }
  /** The owner writes to one number and reads what that number answers. */
  const ask = async (text: string, to: string): Promise<{ text: string; from: string }> => {
    const { id } = await signal.contact(OWNER).say(text, { to })
    const [reply] = await signal.repliesTo(id, { count: 1, timeoutMs: 15_000 })
    return { text: reply?.text ?? '', from: reply?.bot ?? '' }
  }

  before(async () => {
    e = await startEmulatedRuntime({ config: { owners: [OWNER], sessions: { startConcurrency: 2, settings: {} } } })
    signal = installSignal(e.emulator.host, { timeoutMs: 15_000 })
    e.emulator.addContact({ phone: OWNER, name: 'Owner' })
    e.emulator.addContact({ phone: '15550002222', name: 'Friend' })
    await pair(e)
  })
  after(async () => {
    signal.close()
    await e.close()
  })

  it('pairs a new session by the QR that GET /sessions/:session shows, and another by a pairing code', async () => {
    const created = await e.request('POST', '/sessions', { id: 'sales' })
    assert.equal(created.status, 201)
    const { qr } = await waitFor('sales', (data) => data.state === 'pairing' && data.qr !== null, 'a QR')
    const png = await fetch(`${e.runtime.url}/sessions/sales/qr.png`, { headers: { authorization: 'e2e-key-0123456789abcdef' } })
    assert.equal(png.headers.get('content-type'), 'image/png')
    await e.emulator.scanQr(qr ?? '', { phone: SALES_PHONE })
    const sales = await waitFor('sales', (data) => data.state === 'open', 'open')
    assert.equal(sales.jid, `${SALES_PHONE}@s.whatsapp.net`)

    assert.equal((await e.request('POST', '/sessions', { id: 'support', pairing_phone: SUPPORT_PHONE })).status, 201)
    const { pairing_code } = await waitFor('support', (data) => data.pairing_code !== null, 'a pairing code')
    assert.match(pairing_code ?? '', /^[A-Z0-9]{8}$/)
    await e.emulator.confirmPairingCode(pairing_code ?? '', { phone: SUPPORT_PHONE })
    assert.equal((await waitFor('support', (data) => data.state === 'open', 'open')).jid, `${SUPPORT_PHONE}@s.whatsapp.net`)

    const list = (await e.request('GET', '/sessions')).envelope as { data: { id: string; state: string }[] }
    assert.deepEqual(list.data.map(({ id, state }) => ({ id, state })), [
      { id: 'default', state: 'open' },
      { id: 'sales', state: 'open' },
      { id: 'support', state: 'open' },
    ])
  })

  it('each number answers the commands sent to it, from itself', async () => {
    for (const phone of ['15550000001', SALES_PHONE, SUPPORT_PHONE]) {
      const reply = await ask('!ping', phone)
      assert.deepEqual(reply, { text: 'pong', from: `${phone}@s.whatsapp.net` })
    }
  })

  it("a group made through one session's route is invisible to and unchangeable through another's", async () => {
    const made = await e.request('POST', '/sessions/sales/groups', { name: 'Sales floor', participants: ['15550002222'] })
    assert.equal(made.status, 200)
    const jid = (made.envelope as { data: { jid: string } }).data.jid
    assert.ok(e.emulator.group(jid)?.participants.some((p) => p.jid === `${SALES_PHONE}@s.whatsapp.net`), 'the sales number is in it')

    assert.equal((await e.request('GET', `/sessions/sales/groups/${jid}`)).status, 200)
    const listed = (await e.request('GET', '/sessions/support/groups')).envelope as { data: { jid: string }[] }
    assert.ok(!listed.data.some((group) => group.jid === jid), 'support does not list it')
    const rename = await e.request('PUT', `/sessions/support/groups/${jid}/subject`, { subject: 'Taken over' })
    assert.ok(rename.status === 403 || rename.status === 404, `support may not rename it (got ${rename.status})`)
    assert.equal(e.emulator.group(jid)?.subject, 'Sales floor')

    assert.match((await ask('!groups', SALES_PHONE)).text, /Sales floor/)
    assert.doesNotMatch((await ask('!groups', SUPPORT_PHONE)).text, /Sales floor/)
  })

  it('a session key works on its session only, and is refused on the others and on management', async () => {
    const key = ((await e.request('POST', '/sessions/sales/keys', { label: 'sales team' })).envelope as { data: { key: string } }).data.key
    const as = { authorization: key }
    assert.equal((await e.request('GET', '/sessions/sales/groups', undefined, as)).status, 200)
    assert.equal((await e.request('GET', '/sessions/support/groups', undefined, as)).status, 403)
    assert.equal((await e.request('GET', '/groups', undefined, as)).status, 403)
    assert.equal((await e.request('POST', '/sessions', { id: 'mine' }, as)).status, 403)
    assert.equal((await e.request('DELETE', '/sessions/support', undefined, as)).status, 403)
  })

  it('after a restart every session logs in again from its stored state, without a QR', async () => {
    const qrsBefore = e.terminal().split('Scan this QR').length
    await e.restart()
    await e.waitForState('open', 15_000)
    for (const id of ['sales', 'support']) await waitFor(id, (data) => data.state === 'open', 'open after the restart')
    assert.equal(e.terminal().split('Scan this QR').length, qrsBefore, 'no new QR was drawn')
    assert.deepEqual(await ask('!ping', SUPPORT_PHONE), { text: 'pong', from: `${SUPPORT_PHONE}@s.whatsapp.net` })
  })

  it('logging out one number and deleting another leaves the rest working', async () => {
    const out = await e.request('POST', '/sessions/support/logout')
    assert.equal(out.status, 200)
    assert.deepEqual((out.envelope as { data: unknown }).data, { id: 'support', state: 'logged-out' }, 'the state after the logout')
    const listed = (await e.request('GET', '/sessions')).envelope as { data: { id: string; jid: string | null }[] }
    assert.equal(listed.data.find((s) => s.id === 'support')?.jid, null, 'the logged-out number is no longer shown')
    await waitFor('support', (data) => data.state === 'pairing', 'pairing again after the logout')
    assert.equal(e.emulator.bot(SUPPORT_PHONE).paired(), false, 'the phone no longer lists the device')

    assert.equal((await e.request('DELETE', '/sessions/sales')).status, 200)
    assert.equal((await e.request('GET', '/sessions/sales')).status, 404)
    await until(() => !e.emulator.bot(SALES_PHONE).connected(), 'the sales number to disconnect')

    assert.deepEqual(await ask('!ping', '15550000001'), { text: 'pong', from: '15550000001@s.whatsapp.net' })
    const list = (await e.request('GET', '/sessions')).envelope as { data: { id: string }[] }
    assert.deepEqual(list.data.map((s) => s.id), ['default', 'support'])
  })
})
