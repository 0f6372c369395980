import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { API_KEY, until } from '../support/emulated-runtime.js'
import { ALICE, BOB, CAROL, OWNER, startGroupWorld, type GroupWorld } from '../support/group-world.js'

type Data = Record<string, unknown>

async function post(w: GroupWorld, path: string, body: unknown): Promise<{ status: number; retryAfter: string | null; error: string }> {
  const response = await fetch(`${w.runtime.url}${path}`, {
    method: 'POST',
    headers: { authorization: API_KEY, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  const envelope = (await response.json()) as { error?: string }
  return { status: response.status, retryAfter: response.headers.get('retry-after'), error: envelope.error ?? '' }
}

describe('the group metadata cache, end to end', () => {
  let w: GroupWorld
  before(async () => {
    w = await startGroupWorld()
  })
  after(() => w.close())

  it('answers lists and group info from the cache; a refresh is one call for every group', async () => {
    const jids = [await w.botGroup('Cache one', [ALICE]), await w.botGroup('Cache two', [BOB]), await w.botGroup('Cache three', [CAROL])]
    w.iqs.length = 0
    for (let i = 0; i < 5; i++) {
      const { envelope } = await w.request('GET', '/groups')
      const listed = (envelope as { data: Data[] }).data.map((g) => g.jid)
      assert.ok(jids.every((jid) => listed.includes(jid)))
    }
    for (const jid of jids) assert.equal((await w.request('GET', `/groups/${jid}`)).status, 200)
    assert.deepEqual(w.iqs, [], 'no metadata query for lists or info')
    await w.request('GET', '/groups?refresh=true')
    assert.deepEqual(w.iqs, ['participating'])
  })

  it('creates a group with one call: its notification, which comes before the answer, is not looked up again', async () => {
    w.iqs.length = 0
    const created = await post(w, '/groups', { name: 'One call', participants: [`${ALICE}@s.whatsapp.net`] })
    assert.equal(created.status, 200, created.error)
    // The notification is taken in after the answer; give it time to ask, were it going to.
    await new Promise((resolve) => setTimeout(resolve, 300))
    assert.deepEqual(w.iqs, ['create'])
  })

  it("keeps itself true from WhatsApp's notifications, without asking", async () => {
    const jid = await w.theirGroup(ALICE, 'Told by notifications', [BOB], { botIsAdmin: true })
    w.iqs.length = 0
    w.emulator.updateGroupAs(ALICE, jid, { subject: 'Renamed by Alice', description: 'Alice wrote this' })
    w.emulator.participantsAs(ALICE, jid, [CAROL], 'add')
    w.emulator.participantsAs(ALICE, jid, [BOB], 'promote')
    const read = async () => (await w.request('GET', `/groups/${jid}`)).envelope as { data: Data }
    let info = await read()
    const deadline = Date.now() + 5000
    while ((info.data.name !== 'Renamed by Alice' || info.data.participant_count !== 4) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20))
      info = await read()
    }
    assert.equal(info.data.name, 'Renamed by Alice')
    assert.equal(info.data.participant_count, 4)
    assert.equal(info.data.description, 'Alice wrote this')
    const bob = (info.data.participants as Data[]).find((p) => p.jid === `${BOB}@s.whatsapp.net`)
    assert.equal(bob?.is_admin, true)
    assert.deepEqual(w.iqs, [], 'all of it came from notifications')
  })

  it('sends replies in groups without asking WhatsApp for the members', async () => {
    const jid = await w.botGroup('Chatty', [OWNER, ALICE])
    // The creation's notification can outrun the create's answer, and then the bot reads the group once: let that pass.
    await new Promise((resolve) => setTimeout(resolve, 500))
    w.iqs.length = 0
    const reply = await w.say(OWNER, '!groupinfo', { group: jid })
    assert.match(reply, /^\*Chatty\*/)
    assert.deepEqual(w.iqs, [])
  })

  it("answers 429 with Retry-After when WhatsApp says rate-overlimit, then holds group calls back until the pause is over", async () => {
    const jid = await w.botGroup('Limited', [ALICE])
    w.emulator.faults.refuseGroupOp('add', 429, 'rate-overlimit')
    const limited = await post(w, `/groups/${jid}/participants/add`, { participants: [BOB] })
    assert.deepEqual(limited, { status: 429, retryAfter: '60', error: 'WhatsApp limits how often this number may do that; try again in 60 seconds' })
    w.emulator.faults.clear()
    w.iqs.length = 0
    const held = await post(w, `/groups/${jid}/participants/add`, { participants: [BOB] })
    assert.equal(held.status, 429)
    assert.ok(Number(held.retryAfter) > 0 && Number(held.retryAfter) <= 60)
    assert.deepEqual(w.iqs, [], 'WhatsApp was not asked again during the pause')
  })
})

describe('group call pacing, end to end', () => {
  let w: GroupWorld
  before(async () => {
    // One call, then one every 100 s: the next call would wait far past maxWaitMs.
    w = await startGroupWorld({ config: { whatsapp: { groupCalls: { burst: 1, perSecond: 0.01, maxWaitMs: 1000, pauseAfterLimitSeconds: 60 } } } })
  })
  after(() => w.close())

  it('refuses a call that would wait too long with 429 and when to retry, without calling WhatsApp', async () => {
    await until(() => w.iqs.includes('participating'), 'the first group list')
    w.iqs.length = 0
    const refused = await post(w, '/groups', { name: 'Too soon', participants: [ALICE] })
    assert.equal(refused.status, 429)
    assert.ok(Number(refused.retryAfter) >= 90, `Retry-After ${refused.retryAfter}`)
    assert.deepEqual(w.iqs, [])
  })
})
