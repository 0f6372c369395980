import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { BinaryNode } from '@whiskeysockets/baileys'
import { startEmulator, type Emulator } from '../../emulator/index.js'
import { type BotClient, nextEvent, pairedBot } from './helpers.js'

function participantsOf(node: BinaryNode, tag: string): BinaryNode[] {
  const holder = Array.isArray(node.content) ? node.content.find((c) => c.tag === tag) : undefined
  return Array.isArray(holder?.content) ? holder.content.filter((c) => c.tag === 'participant') : []
}

void describe('groups (w:g2)', () => {
  let emu: Emulator
  let bot: BotClient
  const alice = '15550200001'
  const bob = '15550200002'
  const carol = '15550200003'
  const ghost = '15550200009'

  before(async () => {
    emu = await startEmulator()
    emu.addContact({ phone: alice, name: 'Alice' })
    emu.addContact({ phone: bob, name: 'Bob', onGroupAdd: 'privacy' })
    emu.addContact({ phone: carol, name: 'Carol' })
    emu.addContact({ phone: ghost, onGroupAdd: 'not-on-whatsapp' })
    bot = await pairedBot(emu)
  })

  after(async () => {
    await bot.dispose()
    await emu.stop()
  })

  void test('create: accepting member added, privacy refuser carries error="403" in the raw reply', async () => {
    const upsert = nextEvent(bot.sock, 'groups.upsert')
    const reply = (await bot.sock.query({
      tag: 'iq',
      attrs: { type: 'set', xmlns: 'w:g2', to: '@g.us' },
      content: [
        {
          tag: 'create',
          attrs: { subject: 'Team', key: 'k1' },
          content: [alice, bob, ghost].map((p) => ({ tag: 'participant', attrs: { jid: `${p}@s.whatsapp.net` } })),
        },
      ],
    })) as BinaryNode
    const group = participantsOf(reply, 'group')
    const byPhone = new Map(group.map((p) => [p.attrs.phone_number ?? p.attrs.jid, p.attrs]))
    assert.equal(byPhone.get(`${alice}@s.whatsapp.net`)?.error, undefined)
    assert.match(byPhone.get(`${alice}@s.whatsapp.net`)?.jid ?? '', /@lid$/)
    assert.equal(byPhone.get(`${bob}@s.whatsapp.net`)?.error, '403')
    assert.equal(byPhone.get(`${ghost}@s.whatsapp.net`)?.error, '404')
    const [created] = await upsert
    assert.equal(created?.subject, 'Team')
    const view = emu.group(created.id)!
    assert.deepEqual(view.participants.map((p) => p.phone).sort(), [alice, emu.botPhone].sort())
    assert.equal(view.participants.find((p) => p.phone === emu.botPhone)?.admin, 'superadmin')
  })

  void test('groupCreate and groupMetadata use LID addressing with phone numbers', async () => {
    const meta = await bot.sock.groupCreate('Metadata', [`${alice}@s.whatsapp.net`, `${carol}@s.whatsapp.net`])
    assert.equal(meta.addressingMode, 'lid')
    const fetched = await bot.sock.groupMetadata(meta.id)
    assert.equal(fetched.subject, 'Metadata')
    assert.equal(fetched.participants.length, 3)
    assert.ok(fetched.participants.every((p) => p.id.endsWith('@lid') && p.phoneNumber?.endsWith('@s.whatsapp.net')))
    assert.equal(fetched.ownerPn, `${emu.botPhone}@s.whatsapp.net`)
    const all = await bot.sock.groupFetchAllParticipating()
    assert.ok(all[meta.id])
  })

  void test('participants: add with per-participant errors, promote, demote, remove', async () => {
    const meta = await bot.sock.groupCreate('People', [`${alice}@s.whatsapp.net`])
    const event = nextEvent(bot.sock, 'group-participants.update', (u) => u.id === meta.id && u.action === 'add')
    const res = await bot.sock.groupParticipantsUpdate(
      meta.id,
      [`${carol}@s.whatsapp.net`, `${bob}@s.whatsapp.net`, `${alice}@s.whatsapp.net`, `${ghost}@s.whatsapp.net`],
      'add',
    )
    assert.deepEqual(res.map((r) => r.status), ['200', '403', '409', '404'])
    const added = await event
    assert.equal(added.participants.length, 1)
    assert.equal(added.participants[0]?.phoneNumber, `${carol}@s.whatsapp.net`)

    const promoted = await bot.sock.groupParticipantsUpdate(meta.id, [`${carol}@s.whatsapp.net`], 'promote')
    assert.equal(promoted[0]?.status, '200')
    assert.equal(emu.group(meta.id)?.participants.find((p) => p.phone === carol)?.admin, 'admin')
    await bot.sock.groupParticipantsUpdate(meta.id, [`${carol}@s.whatsapp.net`], 'demote')
    const removed = nextEvent(bot.sock, 'group-participants.update', (u) => u.id === meta.id && u.action === 'remove')
    const out = await bot.sock.groupParticipantsUpdate(meta.id, [`${alice}@s.whatsapp.net`, `${ghost}@s.whatsapp.net`], 'remove')
    assert.deepEqual(out.map((r) => r.status), ['200', '404'])
    await removed
    assert.deepEqual(emu.group(meta.id)?.participants.map((p) => p.phone).sort(), [carol, emu.botPhone].sort())
  })

  void test('subject, description, settings reach groups.update', async () => {
    const meta = await bot.sock.groupCreate('Before', [`${alice}@s.whatsapp.net`])
    const subject = nextEvent(bot.sock, 'groups.update', (u) => u.some((g) => g.id === meta.id && g.subject === 'After'))
    await bot.sock.groupUpdateSubject(meta.id, 'After')
    await subject
    await bot.sock.groupUpdateDescription(meta.id, 'Rules: be kind')
    assert.equal((await bot.sock.groupMetadata(meta.id)).desc, 'Rules: be kind')
    const announce = nextEvent(bot.sock, 'groups.update', (u) => u.some((g) => g.id === meta.id && g.announce === true))
    await bot.sock.groupSettingUpdate(meta.id, 'announcement')
    await announce
    await bot.sock.groupSettingUpdate(meta.id, 'locked')
    await bot.sock.groupToggleEphemeral(meta.id, 86400)
    await bot.sock.groupMemberAddMode(meta.id, 'all_member_add')
    await bot.sock.groupJoinApprovalMode(meta.id, 'on')
    const view = emu.group(meta.id)!
    assert.deepEqual(
      [view.subject, view.description, view.announce, view.restrict, view.ephemeral, view.memberAddMode, view.joinApproval],
      ['After', 'Rules: be kind', true, true, 86400, 'all_member_add', true],
    )
    const fetched = await bot.sock.groupMetadata(meta.id)
    assert.deepEqual([fetched.announce, fetched.restrict, fetched.memberAddMode, fetched.joinApprovalMode, fetched.ephemeralDuration], [true, true, true, true, 86400])
  })

  void test('invite code get/revoke, info, join requests, leave', async () => {
    const meta = await bot.sock.groupCreate('Invites', [`${alice}@s.whatsapp.net`])
    const code = await bot.sock.groupInviteCode(meta.id)
    assert.equal(code, emu.group(meta.id)?.inviteCode)
    const revoked = await bot.sock.groupRevokeInvite(meta.id)
    assert.notEqual(revoked, code)
    const info = await bot.sock.groupGetInviteInfo(revoked!)
    assert.equal(info.id, meta.id)
    await assert.rejects(bot.sock.groupGetInviteInfo('nope'), /not-acceptable/)

    await bot.sock.groupJoinApprovalMode(meta.id, 'on')
    emu.requestToJoin(meta.id, carol)
    const requests = await bot.sock.groupRequestParticipantsList(meta.id)
    assert.equal(requests.length, 1)
    const approved = await bot.sock.groupRequestParticipantsUpdate(meta.id, [`${carol}@s.whatsapp.net`], 'approve')
    assert.equal(approved[0]?.status, '200')
    assert.ok(emu.group(meta.id)?.participants.some((p) => p.phone === carol))

    const left = nextEvent(bot.sock, 'group-participants.update', (u) => u.id === meta.id && u.action === 'remove')
    await bot.sock.groupLeave(meta.id)
    await left
    assert.ok(!emu.group(meta.id)?.participants.some((p) => p.phone === emu.botPhone))
    await assert.rejects(bot.sock.groupMetadata(meta.id), /forbidden/)
  })

  void test('a group someone else created: bot not admin gets 403, unknown group 404', async () => {
    const upsert = nextEvent(bot.sock, 'groups.upsert')
    const view = emu.createGroupAs(alice, 'Alice group', [carol])
    const [seen] = await upsert
    assert.equal(seen?.id, view.jid)
    await assert.rejects(bot.sock.groupUpdateSubject(view.jid, 'Mine now?').then(() => bot.sock.groupSettingUpdate(view.jid, 'announcement')), /not-authorized/)
    await assert.rejects(bot.sock.groupParticipantsUpdate(view.jid, [`${bob}@s.whatsapp.net`], 'add'), /not-authorized/)
    await assert.rejects(bot.sock.groupMetadata('120363999999999999@g.us'), /item-not-found/)
  })

  void test('a group created with admins tells the bot their roles in its create notification', async () => {
    const upsert = nextEvent(bot.sock, 'groups.upsert')
    const view = emu.createGroupAs(alice, 'With admins', [carol], { admins: [carol] })
    assert.equal(view.participants.find((p) => p.phone === carol)?.admin, 'admin')
    const [seen] = await upsert
    assert.equal(seen?.participants.find((p) => p.phoneNumber === `${carol}@s.whatsapp.net`)?.admin, 'admin')
  })

  void test('changes made by contacts reach the bot as events', async () => {
    const view = emu.createGroupAs(alice, 'Run by Alice', [carol])
    const promoted = nextEvent(bot.sock, 'group-participants.update', (u) => u.id === view.jid && u.action === 'promote')
    emu.participantsAs(alice, view.jid, [emu.botPhone!], 'promote')
    const p = await promoted
    assert.equal(p.participants[0]?.phoneNumber, `${emu.botPhone}@s.whatsapp.net`)
    assert.equal(p.author, emu.contact(alice)?.lid)
    // Now an admin, the bot may change settings.
    await bot.sock.groupSettingUpdate(view.jid, 'announcement')

    const renamed = nextEvent(bot.sock, 'groups.update', (u) => u.some((g) => g.id === view.jid && g.subject === 'Renamed'))
    emu.updateGroupAs(carol, view.jid, { subject: 'Renamed' })
    await renamed

    // Baileys reports a member leaving as a remove by that member.
    const left = nextEvent(bot.sock, 'group-participants.update', (u) => u.id === view.jid && u.action === 'remove' && u.author === emu.contact(carol)?.lid)
    emu.participantsAs(carol, view.jid, [carol], 'remove')
    await left
    assert.throws(() => emu.participantsAs(carol, view.jid, [alice], 'remove'), /forbidden/)

    const kicked = nextEvent(bot.sock, 'group-participants.update', (u) => u.id === view.jid && u.action === 'remove')
    emu.participantsAs(alice, view.jid, [emu.botPhone!], 'remove')
    await kicked
    await assert.rejects(bot.sock.groupMetadata(view.jid), /forbidden/)
  })

  void test('joining by invite link, directly or as a join request; rejecting a request', async () => {
    const open = emu.createGroupAs(alice, 'Open door', [])
    emu.participantsAs(alice, open.jid, [emu.botPhone!], 'remove')
    assert.equal(await bot.sock.groupAcceptInvite(open.inviteCode), open.jid)
    assert.ok(emu.group(open.jid)?.participants.some((p) => p.phone === emu.botPhone))
    await assert.rejects(bot.sock.groupAcceptInvite(open.inviteCode), /conflict/)

    const guarded = emu.createGroupAs(alice, 'Guarded', [], { botIsAdmin: true })
    await bot.sock.groupJoinApprovalMode(guarded.jid, 'on')
    emu.requestToJoin(guarded.jid, carol)
    const rejected = await bot.sock.groupRequestParticipantsUpdate(guarded.jid, [`${carol}@s.whatsapp.net`, `${bob}@s.whatsapp.net`], 'reject')
    assert.deepEqual(rejected.map((r) => r.status), ['200', '404'])
    assert.equal(emu.group(guarded.jid)?.pendingRequests.length, 0)
    assert.ok(!emu.group(guarded.jid)?.participants.some((p) => p.phone === carol))
    emu.participantsAs(alice, guarded.jid, [emu.botPhone!], 'remove')
    await bot.sock.groupAcceptInvite(guarded.inviteCode)
    assert.deepEqual(emu.group(guarded.jid)?.pendingRequests.map((r) => r.jid), [`${emu.botPhone}@s.whatsapp.net`])
  })

  void test('accepting a v4 invite joins the group', async () => {
    const view = emu.createGroupAs(carol, 'Invite only', [alice])
    emu.participantsAs(carol, view.jid, [emu.botPhone!], 'remove')
    const joined = nextEvent(bot.sock, 'group-participants.update', (u) => u.id === view.jid && u.action === 'add')
    await bot.sock.groupAcceptInviteV4(`${carol}@s.whatsapp.net`, {
      groupJid: view.jid,
      inviteCode: 'v4code',
      inviteExpiration: Math.floor(Date.now() / 1000) + 3600,
    })
    await joined
    assert.ok(emu.group(view.jid)?.participants.some((p) => p.phone === emu.botPhone))
  })

  void test('refuseGroupOp makes the chosen op fail with the chosen code', async () => {
    emu.faults.refuseGroupOp('create', 429)
    try {
      await assert.rejects(bot.sock.groupCreate('Nope', [`${alice}@s.whatsapp.net`]), (err: { data?: unknown; message?: string }) => {
        // Baileys keeps the IQ error code in Boom's data.
        assert.equal(err.data, 429)
        assert.match(err.message ?? '', /rate-overlimit/)
        return true
      })
    } finally {
      emu.faults.clear()
    }
  })
})
