import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { GroupInfo, GroupParticipant } from '../../core/index.js'
import { createdGroup, OUTCOME_UNKNOWN, participantOutcomesSeen } from '../../core/whatsapp/groups/seen-changes.js'

const ME = { jid: '15550000001@s.whatsapp.net', lid: '900000001@lid' }
const SENT_AT = 1_800_000_000
const ALICE = '15550002222@s.whatsapp.net'
const BOB = '15550003333@s.whatsapp.net'

function group(jid: string, change: Partial<GroupInfo> = {}): GroupInfo {
  return {
    jid,
    subject: 'Team',
    description: '',
    owner: ME.jid,
    createdAt: SENT_AT + 1,
    size: 1,
    participants: [],
    settings: { onlyAdminsSend: false, onlyAdminsEdit: false, onlyAdminsAdd: true, joinApproval: false, disappearingSeconds: 0 },
    addressingMode: 'lid',
    ...change,
  }
}

const member = (jid: string, isAdmin = false): GroupParticipant => ({ jid, isAdmin, isSuperAdmin: false })
const sought = (taken: string[] = []) => ({ subject: 'Team', me: ME, sentAt: SENT_AT, taken: (jid: string) => taken.includes(jid) })

describe('finding the group a create made when its answer was lost', () => {
  it("takes the bot's group of that name made since the create, the older of two", () => {
    const groups = [group('3@g.us', { createdAt: SENT_AT + 5 }), group('2@g.us', { createdAt: SENT_AT + 2, owner: ME.lid }), group('1@g.us', { subject: 'Other' })]
    assert.equal(createdGroup(groups, sought())?.jid, '2@g.us')
  })

  it('takes none that is known already, or claimed by another create, or older than the create, or made by someone else', () => {
    assert.equal(createdGroup([group('1@g.us')], sought(['1@g.us'])), undefined)
    assert.equal(createdGroup([group('1@g.us', { createdAt: SENT_AT - 3600 })], sought()), undefined)
    assert.equal(createdGroup([group('1@g.us', { owner: ALICE })], sought()), undefined)
  })

  it("allows WhatsApp's clock to be somewhat behind ours", () => {
    assert.equal(createdGroup([group('1@g.us', { createdAt: SENT_AT - 30 })], sought())?.jid, '1@g.us')
  })
})

describe("each person's outcome as the group shows it", () => {
  it('add: now in it is added, in it before is already in, not in it is unknown', () => {
    const before = group('1@g.us', { participants: [member(ALICE)] })
    const after = group('1@g.us', { participants: [member(ALICE), member(BOB)] })
    const outcomes = participantOutcomesSeen('add', [BOB, ALICE, '15550004444@s.whatsapp.net'], before, after)
    assert.deepEqual(outcomes.map((o) => o.code), [200, 409, OUTCOME_UNKNOWN])
  })

  it('remove, promote and demote', () => {
    const before = group('1@g.us', { participants: [member(ALICE), member(BOB, true)] })
    assert.deepEqual(participantOutcomesSeen('remove', [ALICE, BOB], before, group('1@g.us', { participants: [member(BOB, true)] })).map((o) => o.code), [200, OUTCOME_UNKNOWN])
    assert.deepEqual(participantOutcomesSeen('promote', [ALICE, BOB], before, group('1@g.us', { participants: [member(ALICE, true), member(BOB, true)] })).map((o) => o.code), [200, 409])
    assert.deepEqual(participantOutcomesSeen('demote', [ALICE, BOB], before, group('1@g.us', { participants: [member(ALICE), member(BOB, true)] })).map((o) => o.code), [409, OUTCOME_UNKNOWN])
  })
})
