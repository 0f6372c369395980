import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { describe, it } from 'node:test'
import { GroupCache } from '../../core/whatsapp/groups/group-cache.js'
import type { GroupInfo } from '../../core/whatsapp/groups/group-types.js'
import { toGroupData } from '../../plugins/groups/group-data.js'

const group = (addressingMode: 'lid' | 'pn'): GroupInfo => ({
  jid: '120363000000000001@g.us',
  subject: 'Team',
  description: 'Our team',
  owner: '15550300000@s.whatsapp.net',
  createdAt: 1_700_000_000,
  size: 2,
  participants: [
    { jid: '15550300000@s.whatsapp.net', isAdmin: true, isSuperAdmin: true },
    { jid: '15550300001@s.whatsapp.net', lid: '100000000000001@lid', isAdmin: false, isSuperAdmin: false },
  ],
  settings: { onlyAdminsSend: false, onlyAdminsEdit: false, onlyAdminsAdd: true, joinApproval: false, disappearingSeconds: 86400 },
  addressingMode,
})

describe('a cached group, in the shapes it is handed out in', () => {
  it('to API callers: each member by phone jid, with a lid only where one is known', () => {
    // Compared as JSON text: the key order is part of what callers see.
    assert.equal(
      JSON.stringify(toGroupData(group('lid')).participants),
      JSON.stringify([
        { jid: '15550300000@s.whatsapp.net', is_admin: true, is_super_admin: true },
        { jid: '15550300001@s.whatsapp.net', lid: '100000000000001@lid', is_admin: false, is_super_admin: false },
      ]),
    )
  })

  it('to Baileys on a send: members by lid in a LID group and by phone jid otherwise, with both ids and the admin role', () => {
    const cache = new GroupCache()
    cache.set(group('lid'))
    const lid = cache.toBaileys('120363000000000001@g.us')
    assert.equal(lid?.addressingMode, 'lid')
    assert.equal(lid?.ephemeralDuration, 86400)
    assert.deepEqual(lid?.participants, [
      { id: '15550300000@s.whatsapp.net', phoneNumber: '15550300000@s.whatsapp.net', admin: 'superadmin' },
      { id: '100000000000001@lid', lid: '100000000000001@lid', phoneNumber: '15550300001@s.whatsapp.net', admin: null },
    ])
    cache.set(group('pn'))
    assert.deepEqual(
      cache.toBaileys('120363000000000001@g.us')?.participants.map((p) => p.id),
      ['15550300000@s.whatsapp.net', '15550300001@s.whatsapp.net'],
    )
    assert.equal(cache.toBaileys('120363000000000002@g.us'), undefined)
  })

  it('bench/big-group.ts times both for a large group', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'bench/big-group.ts', '20', '10'], { encoding: 'utf8', timeout: 60_000 })
    assert.equal(run.status, 0, run.stderr)
    assert.match(run.stdout, /^20 members: as the API shows it \d+\.\d µs, as Baileys asks for it on a send \d+\.\d µs$/m)
  })
})
