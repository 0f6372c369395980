import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { BOT_PHONE, pair, startEmulatedRuntime, until, type EmulatedRuntime } from '../support/emulated-runtime.js'

describe('the runtime on the WhatsApp emulator', () => {
  let e: EmulatedRuntime
  before(async () => {
    e = await startEmulatedRuntime()
    e.emulator.addContact({ phone: '15550002222', name: 'Accepts' })
    e.emulator.addContact({ phone: '15550003333', name: 'Private', onGroupAdd: 'privacy' })
  })
  after(() => e.close())

  it('shows a QR (terminal and /session) and opens once it is scanned', async () => {
    await e.waitForState('pairing')
    await until(() => e.terminal().includes('Scan this QR with WhatsApp'), 'the QR in the terminal')
    const { envelope } = await e.request('GET', '/session')
    assert.equal((envelope as { data: { qr: string } }).data.qr, e.runtime.whatsapp.qr)
    await pair(e)
    assert.equal(e.runtime.whatsapp.me?.jid, `${BOT_PHONE}@s.whatsapp.net`)
  })

  it('POST /groups creates the group on WhatsApp and lists who privacy kept out', async () => {
    const { status, envelope } = await e.request('POST', '/groups', { name: 'My Group', participants: ['+1 555 000 2222', '15550003333@s.whatsapp.net'] })
    assert.equal(status, 200, JSON.stringify(envelope))
    const data = (envelope as { data: Record<string, unknown> }).data
    assert.equal(data.name, 'My Group')
    assert.equal(data.owner, `${BOT_PHONE}@s.whatsapp.net`)
    // A LID group: members are shown by phone number, with the lid beside.
    assert.deepEqual(data.participants, [
      { jid: `${BOT_PHONE}@s.whatsapp.net`, lid: e.emulator.host.world.bot?.lid, is_admin: true, is_super_admin: true },
      { jid: '15550002222@s.whatsapp.net', lid: e.emulator.contact('15550002222')?.lid, is_admin: false, is_super_admin: false },
    ])
    assert.equal(data.participant_count, 2)
    const [refused, ...others] = data.failed_participants as { invite: { code: string; expires_at: number } }[]
    assert.deepEqual(others, [])
    assert.deepEqual(refused, {
      jid: '15550003333@s.whatsapp.net',
      status: 403,
      reason: 'their privacy settings only let their contacts add them to groups — WhatsApp offers an invite to send them instead (send_invite: true)',
      invite: { code: refused?.invite.code, expires_at: refused?.invite.expires_at, sent: false },
    })
    assert.match(refused?.invite.code ?? '', /^[\w-]{6,}$/)
    const onServer = e.emulator.group(data.jid as string)
    assert.equal(onServer?.subject, 'My Group')

    const info = await e.request('GET', `/groups/${String(data.jid)}`)
    assert.equal(info.status, 200)
    assert.deepEqual((info.envelope as { data: { participants: unknown } }).data.participants, data.participants)
  })

  it('GET /groups/:jid answers 404 for a group WhatsApp does not know', async () => {
    const { status, envelope } = await e.request('GET', '/groups/120363999999999999@g.us')
    assert.equal(status, 404)
    assert.deepEqual(envelope, { status: false, code: 404, message: 'Not found', error: 'Group not found' })
  })

  it('logs in again from the stored session after a restart, without a QR', async () => {
    await e.restart()
    await e.waitForState('open')
    assert.equal(e.runtime.whatsapp.qr, undefined)
    const { status } = await e.request('POST', '/groups', { name: 'After restart', participants: ['15550002222'] })
    assert.equal(status, 200)
  })
})
