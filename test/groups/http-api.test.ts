import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { ALICE, BOB, CAROL, jidOf, NOBODY, OWNER, PRIVATE, startGroupWorld, type GroupWorld } from '../support/group-world.js'

type Data = Record<string, unknown>
const dataOf = (envelope: unknown): Data => (envelope as { data: Data }).data

describe('groups over HTTP, end to end on the emulator', () => {
  let w: GroupWorld
  before(async () => {
    w = await startGroupWorld()
  })
  after(() => w.close())

  it('lists the groups the bot is in with member counts, and members on request', async () => {
    const team = await w.botGroup('HTTP list', [ALICE, BOB])
    const { status, envelope } = await w.request('GET', '/groups')
    assert.equal(status, 200)
    const listed = (dataOf(envelope) as unknown as Data[]).find((g) => g.jid === team)
    assert.equal(listed?.participant_count, 3)
    assert.equal(listed?.participants, undefined)
    assert.match(envelope.message, /^Found \d+ groups?$/)
    const full = await w.request('GET', '/groups?participants=true')
    const members = ((dataOf(full.envelope) as unknown as Data[]).find((g) => g.jid === team)?.participants ?? []) as Data[]
    assert.deepEqual(members.map((m) => m.jid).sort(), [jidOf(ALICE), jidOf(BOB), jidOf('15550000001')].sort())
    assert.ok(members.every((m) => typeof m.lid === 'string' && m.lid.endsWith('@lid')), 'each member keeps its lid beside the phone jid')
  })

  it('adds people and reports each one: added, privacy (with the invite, sent on request), not on WhatsApp, already in', async () => {
    const jid = await w.botGroup('HTTP add', [ALICE])
    const { status, envelope } = await w.request('POST', `/groups/${jid}/participants/add`, {
      participants: [BOB, `+${PRIVATE}`, NOBODY, jidOf(ALICE)],
      send_invite: true,
    })
    assert.equal(status, 200, 'the call itself worked')
    assert.equal(envelope.message, 'Added 1 of 4 participants')
    const results = dataOf(envelope).participants as Data[]
    assert.deepEqual(
      results.map((r) => [r.jid, r.status, r.reason]),
      [
        [jidOf(BOB), 200, 'added'],
        [jidOf(PRIVATE), 403, 'their privacy settings only let their contacts add them to groups — an invite was sent to them'],
        [jidOf(NOBODY), 404, 'not on WhatsApp'],
        [jidOf(ALICE), 409, 'already in the group'],
      ],
    )
    assert.equal((results[1]?.invite as Data).sent, true)
    const invite = await w.signal.nextReply({ chat: jidOf(PRIVATE) })
    assert.equal(invite.raw.groupInviteMessage?.groupJid, jid)
    assert.equal(invite.raw.groupInviteMessage?.inviteCode, (results[1]?.invite as Data).code)
    assert.ok(w.emulator.group(jid)?.participants.some((m) => m.jid === jidOf(BOB)))
  })

  it('removes, promotes and demotes, by phone number, with per-person results', async () => {
    const jid = await w.botGroup('HTTP roles', [ALICE, BOB])
    const promoted = await w.request('POST', `/groups/${jid}/participants/promote`, { participants: [ALICE, CAROL] })
    assert.equal(promoted.envelope.message, 'Promoted 1 of 2 participants')
    assert.deepEqual((dataOf(promoted.envelope).participants as Data[]).map((r) => [r.jid, r.status, r.reason]), [
      [jidOf(ALICE), 200, 'now an admin'],
      [jidOf(CAROL), 404, 'not in the group'],
    ])
    const again = await w.request('POST', `/groups/${jid}/participants/promote`, { participants: [ALICE] })
    assert.deepEqual((dataOf(again.envelope).participants as Data[]).map((r) => [r.status, r.reason]), [[409, 'already an admin']])
    const demoted = await w.request('POST', `/groups/${jid}/participants/demote`, { participants: [ALICE] })
    assert.equal(demoted.envelope.message, 'Demoted 1 of 1 participant')
    const removed = await w.request('POST', `/groups/${jid}/participants/remove`, { participants: [BOB] })
    assert.equal(removed.status, 200)
    assert.equal(removed.envelope.message, 'Removed 1 of 1 participant')
    const info = await w.request('GET', `/groups/${jid}`)
    assert.deepEqual((dataOf(info.envelope).participants as Data[]).map((p) => [p.jid, p.is_admin]).sort(), [
      [jidOf('15550000001'), true],
      [jidOf(ALICE), false],
    ])
  })

  it('answers bad input with what to fix, before calling WhatsApp', async () => {
    const jid = await w.botGroup('HTTP bad input', [ALICE])
    w.iqs.length = 0
    const cases: [string, string, unknown, string][] = [
      ['POST', `/groups/${jid}/participants/add`, {}, 'participants is required'],
      ['POST', `/groups/${jid}/participants/add`, { participants: [] }, 'participants must list at least 1 entry'],
      ['POST', `/groups/${jid}/participants/remove`, { participants: ['abc'] }, "participants[0] is not a phone number or WhatsApp id: 'abc'"],
      ['POST', '/groups/not-a-group/participants/add', { participants: [ALICE] }, "jid is not a group id (like 120363123456789012@g.us): 'not-a-group'"],
      ['PUT', `/groups/${jid}/subject`, { subject: '  ' }, 'Group name is required'],
      ['PUT', `/groups/${jid}/settings`, {}, 'Name at least one setting to change: only_admins_send, only_admins_edit, only_admins_add, join_approval, disappearing_seconds'],
      ['PUT', `/groups/${jid}/settings`, { disappearing_seconds: 5 }, 'disappearing_seconds must be one of: 0, 86400, 604800, 7776000'],
      ['POST', '/groups/join', { invite: 'https://example.com/x' }, "Invite link is not valid: expected a link like https://chat.whatsapp.com/AbCdEf123456, or its code: 'https://example.com/x'"],
    ]
    for (const [method, path, body, error] of cases) {
      const { status, envelope } = await w.request(method, path, body)
      assert.equal(status, 400, `${method} ${path} ${JSON.stringify(body)}`)
      assert.equal(envelope.status ? '' : envelope.error, error)
    }
    assert.deepEqual(w.iqs, [], 'nothing reached WhatsApp')
  })

  it('says so when the bot is not an admin, or not in the group, or the group does not exist', async () => {
    const theirs = await w.theirGroup(ALICE, 'HTTP not admin', [BOB], { botIsAdmin: false })
    const notAdmin = await w.request('POST', `/groups/${theirs}/participants/add`, { participants: [CAROL] })
    assert.equal(notAdmin.status, 403)
    assert.equal(notAdmin.envelope.status ? '' : notAdmin.envelope.error, 'I need to be an admin of this group to do that')
    const subject = await w.request('PUT', `/groups/${theirs}/settings`, { only_admins_send: true })
    assert.equal(subject.status, 403)
    const missing = await w.request('POST', '/groups/120363999999999999@g.us/participants/add', { participants: [CAROL] })
    assert.equal(missing.status, 404)
    assert.equal(missing.envelope.status ? '' : missing.envelope.error, 'Group not found')
  })

  it('renames, describes and removes the description', async () => {
    const jid = await w.botGroup('HTTP text', [ALICE])
    const renamed = await w.request('PUT', `/groups/${jid}/subject`, { subject: 'Renamed' })
    assert.deepEqual(renamed.envelope, { status: true, code: 200, message: 'Group name changed', data: { jid, name: 'Renamed' } })
    assert.equal(w.emulator.group(jid)?.subject, 'Renamed')
    await w.request('PUT', `/groups/${jid}/description`, { description: 'First' })
    const second = await w.request('PUT', `/groups/${jid}/description`, { description: 'Second' })
    assert.equal(second.envelope.message, 'Group description changed')
    assert.equal(w.emulator.group(jid)?.description, 'Second')
    const removed = await w.request('PUT', `/groups/${jid}/description`, { description: '' })
    assert.equal(removed.envelope.message, 'Group description removed')
    assert.equal(w.emulator.group(jid)?.description, undefined)
  })

  it('changes one group’s description from several requests at once: each succeeds, in turn', async () => {
    const jid = await w.botGroup('HTTP descriptions at once', [ALICE])
    await w.request('PUT', `/groups/${jid}/description`, { description: 'Before' })
    const texts = ['One', 'Two', 'Three', 'Four']
    const answers = await Promise.all(texts.map((description) => w.request('PUT', `/groups/${jid}/description`, { description })))
    assert.deepEqual(answers.map((a) => [a.status, a.envelope.message]), texts.map(() => [200, 'Group description changed']))
    assert.ok(texts.includes(w.emulator.group(jid)?.description ?? ''), 'one of them is the description now')
  })

  it('changes the description again when another admin changed it just before (WhatsApp answers 409 to the stale one)', async () => {
    const jid = await w.botGroup('HTTP description race', [ALICE])
    await w.request('PUT', `/groups/${jid}/description`, { description: 'Before' })
    const groupsHandler = w.emulator.host.router.findIq({ tag: 'iq', attrs: { xmlns: 'w:g2' } })
    if (!groupsHandler) throw new Error('the emulator has no w:g2 handler')
    let raced = false
    // Alice edits from her phone while the bot's change is on its way, so the bot's `prev` is stale when it lands.
    const unregister = w.emulator.host.router.iq({ xmlns: 'w:g2' }, (iq, session) => {
      const first = Array.isArray(iq.content) ? iq.content[0] : undefined
      if (first?.tag === 'description' && !raced) {
        raced = true
        w.emulator.updateGroupAs(ALICE, jid, { description: 'Alice was quicker' })
      }
      return groupsHandler(iq, session)
    })
    try {
      const { status, envelope } = await w.request('PUT', `/groups/${jid}/description`, { description: 'The bot’s' })
      assert.equal(raced, true)
      assert.deepEqual([status, envelope.message], [200, 'Group description changed'])
      assert.equal(w.emulator.group(jid)?.description, 'The bot’s')
    } finally {
      unregister()
    }
  })

  it('changes settings, and group info shows them', async () => {
    const jid = await w.botGroup('HTTP settings', [ALICE])
    const { status, envelope } = await w.request('PUT', `/groups/${jid}/settings`, {
      only_admins_send: true,
      only_admins_edit: true,
      only_admins_add: false,
      join_approval: true,
      disappearing_seconds: 604800,
    })
    assert.equal(status, 200, JSON.stringify(envelope))
    const expected = { only_admins_send: true, only_admins_edit: true, only_admins_add: false, join_approval: true, disappearing_seconds: 604800 }
    assert.deepEqual(dataOf(envelope).settings, expected)
    const onServer = w.emulator.group(jid)
    assert.deepEqual([onServer?.announce, onServer?.restrict, onServer?.memberAddMode, onServer?.joinApproval, onServer?.ephemeral], [true, true, 'all_member_add', true, 604800])
    const info = await w.request('GET', `/groups/${jid}?refresh=true`)
    assert.deepEqual(dataOf(info.envelope).settings, expected)
  })

  it('gets and revokes the invite link, previews it and joins by it', async () => {
    const jid = await w.botGroup('HTTP invite', [ALICE])
    const got = await w.request('GET', `/groups/${jid}/invite`)
    const { code, link } = dataOf(got.envelope) as { code: string; link: string }
    assert.equal(link, `https://chat.whatsapp.com/${code}`)
    const revoked = await w.request('POST', `/groups/${jid}/invite/revoke`)
    const fresh = dataOf(revoked.envelope).code as string
    assert.notEqual(fresh, code)
    const stale = await w.request('GET', `/groups/invite/${code}`)
    assert.equal(stale.status, 404)
    assert.equal(stale.envelope.status ? '' : stale.envelope.error, 'This invite link is invalid, expired or was revoked')

    const theirs = w.emulator.createGroupAs(ALICE, 'Open to join', [BOB], { botIsAdmin: false })
    // A group the bot is not in yet: remove it the way WhatsApp would.
    w.emulator.participantsAs(ALICE, theirs.jid, ['15550000001'], 'remove')
    const theirCode = theirs.inviteCode
    const preview = await w.request('GET', `/groups/invite/${theirCode}`)
    assert.equal(preview.status, 200)
    assert.equal(dataOf(preview.envelope).name, 'Open to join')
    const joined = await w.request('POST', '/groups/join', { invite: `https://chat.whatsapp.com/${theirCode}` })
    assert.deepEqual(joined.envelope, { status: true, code: 200, message: 'Joined the group', data: { jid: theirs.jid, pending: false } })
    const twice = await w.request('POST', '/groups/join', { invite: theirCode })
    assert.equal(twice.status, 409)
  })

  it('lists join requests and approves or rejects them', async () => {
    const jid = await w.botGroup('HTTP requests', [ALICE])
    await w.request('PUT', `/groups/${jid}/settings`, { join_approval: true })
    w.emulator.requestToJoin(jid, BOB)
    w.emulator.requestToJoin(jid, CAROL)
    const listed = await w.request('GET', `/groups/${jid}/requests`)
    assert.deepEqual((dataOf(listed.envelope) as unknown as Data[]).map((r) => r.jid).sort(), [jidOf(BOB), jidOf(CAROL)])
    const approved = await w.request('POST', `/groups/${jid}/requests/approve`, { participants: [BOB, OWNER] })
    assert.equal(approved.envelope.message, 'Approved 1 of 2 participants')
    assert.deepEqual((dataOf(approved.envelope).participants as Data[]).map((r) => [r.jid, r.status, r.reason]), [
      [jidOf(BOB), 200, 'request approved; now a member'],
      [jidOf(OWNER), 404, 'has not asked to join'],
    ])
    const rejected = await w.request('POST', `/groups/${jid}/requests/reject`, { participants: [CAROL] })
    assert.equal(rejected.envelope.message, 'Rejected 1 of 1 participant')
    assert.ok(w.emulator.group(jid)?.participants.some((m) => m.jid === jidOf(BOB)))
    assert.ok(!w.emulator.group(jid)?.participants.some((m) => m.jid === jidOf(CAROL)))
  })

  it('leaves a group; HTTP callers are not asked to confirm', async () => {
    const jid = await w.botGroup('HTTP leave', [ALICE])
    const left = await w.request('POST', `/groups/${jid}/leave`)
    assert.deepEqual(left.envelope, { status: true, code: 200, message: 'Left the group', data: { jid } })
    assert.ok(!w.emulator.group(jid)?.participants.some((m) => m.jid === jidOf('15550000001')))
    const list = await w.request('GET', '/groups')
    assert.ok(!(dataOf(list.envelope) as unknown as Data[]).some((g) => g.jid === jid))
  })
})
