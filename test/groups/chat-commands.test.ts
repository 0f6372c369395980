import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { until } from '../support/emulated-runtime.js'
import { ALICE, BOB, CAROL, jidOf, NOBODY, OWNER, PRIVATE, startGroupWorld, type GroupWorld } from '../support/group-world.js'

const BOT = '15550000001'
const members = (w: GroupWorld, jid: string): string[] => (w.emulator.group(jid)?.participants ?? []).map((p) => p.phone).sort()
const adminsOf = (w: GroupWorld, jid: string): string[] => (w.emulator.group(jid)?.participants ?? []).filter((p) => p.admin).map((p) => p.phone).sort()

describe('group commands in chat, end to end on the emulator', () => {
  let w: GroupWorld
  before(async () => {
    w = await startGroupWorld()
  })
  after(() => w.close())

  it('!groups lists the groups with their member counts', async () => {
    const jid = await w.botGroup('Chat list', [ALICE])
    const reply = await w.say(OWNER, '!groups')
    assert.match(reply, /^I am in \d+ groups?:/)
    assert.ok(reply.includes(`• Chat list — 2 members — ${jid}`), reply)
  })

  it('!add in a group adds to that group and tells who was not added and why', async () => {
    const jid = await w.botGroup('Chat add', [OWNER, ALICE])
    const reply = await w.say(OWNER, `!add ${BOB} +${PRIVATE} ${NOBODY}`, { group: jid })
    assert.equal(
      reply,
      [
        `⚠️ Added 1 of 3 participants: ${BOB}`,
        `• ${PRIVATE} was not added: their privacy settings only let their contacts add them to groups — WhatsApp offers an invite to send them instead (add --send-invite)`,
        `• ${NOBODY} was not added: not on WhatsApp`,
      ].join('\n'),
    )
    assert.deepEqual(members(w, jid), [ALICE, BOB, OWNER, BOT].sort())
    const sent = await w.say(OWNER, `!add ${PRIVATE} --send-invite`, { group: jid })
    assert.match(sent, /an invite was sent to them/)
    assert.equal(await w.say(OWNER, `!add ${NOBODY}`, { group: jid }), `❌ Added 0 of 1 participant\n• ${NOBODY} was not added: not on WhatsApp`)
    assert.equal((await w.signal.nextReply({ chat: jidOf(PRIVATE) })).raw.groupInviteMessage?.groupJid, jid)
  })

  it('!add from a private chat names the group first; @mentions work as participants', async () => {
    const jid = await w.botGroup('Chat add by id', [OWNER])
    assert.equal(await w.say(OWNER, `!add ${jid} ${ALICE}`), `✅ Added 1 of 1 participant: ${ALICE}`)
    const alice = w.emulator.contact(ALICE)
    const reply = await w.say(OWNER, `!promote @${alice?.lid.split('@')[0] ?? ''}`, { group: jid, mentions: [alice?.lid ?? ''] })
    assert.equal(reply, `✅ Promoted 1 of 1 participant: ${ALICE}`)
    assert.deepEqual(adminsOf(w, jid), [ALICE, BOT].sort())
    assert.equal(await w.say(OWNER, `!demote ${ALICE}`, { group: jid }), `✅ Demoted 1 of 1 participant: ${ALICE}`)
  })

  it('!kick asks first, naming who, and only !confirm from the same person removes', async () => {
    const jid = await w.botGroup('Chat kick', [OWNER, ALICE, BOB])
    assert.equal(await w.say(OWNER, `!kick ${jid} ${ALICE} +${BOB}`), `⚠️ Remove 2 people (${ALICE}, ${BOB}) from ${jid}?\nSend !confirm within 30 s to go ahead.`)
    assert.equal(await w.say(OWNER, `!kick ${BOB}`, { group: jid }), `⚠️ Remove ${BOB} from this group?\nSend !confirm within 30 s to go ahead.`)
    assert.ok(members(w, jid).includes(BOB), 'nothing happens before the confirmation')
    assert.match(await w.say(ALICE, '!confirm', { group: jid }), /^❌ Nothing to confirm/)
    assert.equal(await w.say(OWNER, '!confirm', { group: jid }), `✅ Removed 1 of 1 participant: ${BOB}`)
    assert.ok(!members(w, jid).includes(BOB))
    assert.match(await w.say(OWNER, '!confirm', { group: jid }), /^❌ Nothing to confirm/, 'a confirmation is used once')
  })

  it("!kick refuses the bot's own number and points to !leave, before asking anything", async () => {
    const jid = await w.botGroup('Chat kick me', [OWNER, ALICE])
    const refusal = /^❌ That is my own number: to make me leave the group, use !leave\n/
    assert.match(await w.say(OWNER, `!kick ${BOT}`, { group: jid }), refusal)
    assert.match(await w.say(OWNER, `!kick ${ALICE} +${BOT}`, { group: jid }), refusal)
    assert.match(await w.say(OWNER, '!confirm', { group: jid }), /^❌ Nothing to confirm/)
    const { status, envelope } = await w.request('POST', `/groups/${jid}/participants/remove`, { participants: [BOT] })
    assert.deepEqual([status, envelope.status ? '' : envelope.error], [400, `That is my own number: to make me leave the group, use POST /groups/${jid}/leave`])
    assert.deepEqual(members(w, jid), [ALICE, OWNER, BOT].sort())
  })

  it("a group's admins may run the admin commands in their group; members and strangers are refused in one line", async () => {
    const jid = await w.botGroup('Chat admins', [ALICE, BOB])
    await w.request('POST', `/groups/${jid}/participants/promote`, { participants: [ALICE] })
    assert.equal(await w.say(ALICE, `!add ${CAROL}`, { group: jid }), `✅ Added 1 of 1 participant: ${CAROL}`)
    const refusal = "❌ Only the bot's owners and the group's admins may use !add, and admins only inside their group"
    assert.equal(await w.say(BOB, `!add ${OWNER}`, { group: jid }), refusal)
    assert.equal(await w.say(ALICE, `!add ${jid} ${OWNER}`), refusal, 'a group admin has no rights in private chat')
    assert.equal(await w.say(ALICE, '!leave', { group: jid }), "❌ Only the bot's owners may use !leave")
    assert.ok(!members(w, jid).includes(OWNER))
  })

  it('says exactly when the bot needs to be an admin', async () => {
    const jid = await w.theirGroup(ALICE, 'Chat not admin', [OWNER, BOB])
    assert.equal(await w.say(OWNER, `!add ${CAROL}`, { group: jid }), '❌ I need to be an admin of this group to do that')
    assert.equal(await w.say(OWNER, '!settings send admins', { group: jid }), '❌ I need to be an admin of this group to do that')
  })

  it('answers bad input in words, without field paths, and the usage', async () => {
    const jid = await w.botGroup('Chat bad input', [OWNER])
    const usage = '\nUsage: !add [group] <participants...> [--send-invite]'
    assert.equal(await w.say(OWNER, '!add', { group: jid }), `❌ Name at least one person: a phone number (like +62 812 3456 7890) or an @mention${usage}`)
    assert.equal(await w.say(OWNER, '!add Bob', { group: jid }), `❌ 'Bob' looks like a name: write people as phone numbers (like +62 812 3456 7890) or @mention them${usage}`)
    assert.equal(await w.say(OWNER, `!add ${ALICE}`), `❌ Say which group: send the command in that group, or put the group's id first${usage}`)
    assert.match(await w.say(OWNER, '!settings send nobody', { group: jid }), /^❌ send takes admins or all\nUsage: !settings/)
    assert.match(await w.say(OWNER, '!join https://example.com/x'), /^❌ Invite link is not valid/)
  })

  it('!setname, !setdesc and !settings change the group, the text kept as typed; !groupinfo shows it', async () => {
    const jid = await w.botGroup('Chat text', [OWNER])
    assert.equal(await w.say(OWNER, '!setname The New Name', { group: jid }), '✅ The group is now called "The New Name"')
    assert.equal(await w.say(OWNER, '!setdesc Where we "plan"  things', { group: jid }), '✅ Description changed')
    const settings = await w.say(OWNER, '!settings send admins approval on disappearing 24h', { group: jid })
    assert.match(settings, /^✅ Settings changed\nWho may send: admins only\n.*\nJoin approval: on\nDisappearing messages: 24h$/s)
    const info = await w.say(OWNER, '!groupinfo', { group: jid })
    assert.match(info, /^\*The New Name\*\nWhere we "plan" {2}things\n/)
    assert.match(info, /Who may send: admins only/)
    const onServer = w.emulator.group(jid)
    assert.deepEqual([onServer?.subject, onServer?.description, onServer?.announce, onServer?.joinApproval, onServer?.ephemeral], ['The New Name', 'Where we "plan"  things', true, true, 86400])
  })

  it('!invite shows the link, !revoke asks first, then makes a new one', async () => {
    const jid = await w.botGroup('Chat invite', [OWNER])
    const code = w.emulator.group(jid)?.inviteCode ?? ''
    assert.equal(await w.say(OWNER, '!invite', { group: jid }), `https://chat.whatsapp.com/${code}`)
    assert.match(await w.say(OWNER, '!revoke', { group: jid }), /^⚠️ Revoke the invite link\?/)
    const revoked = await w.say(OWNER, '!confirm', { group: jid })
    const fresh = w.emulator.group(jid)?.inviteCode ?? ''
    assert.notEqual(fresh, code)
    assert.equal(revoked, `✅ The old link no longer works. The new one:\nhttps://chat.whatsapp.com/${fresh}`)
  })

  it('!join joins by link, and says when an admin must approve', async () => {
    const open = w.emulator.createGroupAs(ALICE, 'Chat open', [BOB])
    w.emulator.participantsAs(ALICE, open.jid, [BOT], 'remove')
    assert.equal(await w.say(OWNER, `!join https://chat.whatsapp.com/${open.inviteCode}`), `✅ Joined ${open.jid}`)
    const gated = w.emulator.createGroupAs(ALICE, 'Chat gated', [BOB])
    w.emulator.participantsAs(ALICE, gated.jid, [BOT], 'remove')
    w.emulator.host.world.group(gated.jid)!.joinApproval = true
    assert.equal(await w.say(OWNER, `!join ${gated.inviteCode}`), `⏳ Asked to join ${gated.jid}; an admin must approve`)
  })

  it('!requests, !approve and !reject answer join requests, marked ✅ for all, ⚠️ for some, ❌ for none', async () => {
    const jid = await w.botGroup('Chat requests', [OWNER])
    await w.say(OWNER, '!settings approval on', { group: jid })
    w.emulator.requestToJoin(jid, ALICE)
    w.emulator.requestToJoin(jid, BOB)
    const listed = await w.say(OWNER, '!requests', { group: jid })
    assert.equal(listed, `2 people asking to join:\n• ${ALICE}\n• ${BOB}`)
    assert.equal(await w.say(OWNER, `!approve ${ALICE} ${CAROL}`, { group: jid }), `⚠️ Approved 1 of 2 participants: ${ALICE}\n• ${CAROL} was not approved: has not asked to join`)
    assert.equal(await w.say(OWNER, `!reject ${BOB}`, { group: jid }), `✅ Rejected 1 of 1 participant: ${BOB}`)
    assert.equal(await w.say(OWNER, `!reject ${CAROL}`, { group: jid }), `❌ Rejected 0 of 1 participant\n• ${CAROL} was not rejected: has not asked to join`)
    assert.deepEqual(members(w, jid), [ALICE, OWNER, BOT].sort())
  })

  it('!leave asks first, then leaves', async () => {
    const jid = await w.botGroup('Chat leave', [OWNER])
    assert.equal(await w.say(OWNER, '!leave', { group: jid }), '⚠️ Leave this group? Only an admin can add me back.\nSend !confirm within 30 s to go ahead.')
    await w.signal.contact(OWNER).say('!confirm', { group: jid })
    const goodbye = await w.signal.nextReply({ chat: jid })
    assert.equal(goodbye.text, '👋 Leaving the group. An admin can add me back any time.')
    await until(() => !members(w, jid).includes(BOT), 'the bot to leave')
    await w.say(OWNER, `!leave ${jid}`)
    assert.equal(await w.say(OWNER, '!confirm'), '❌ I am not a member of this group', 'a group it already left')
  })
})
