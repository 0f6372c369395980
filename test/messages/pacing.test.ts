import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { ALICE, BOB, jidOf, OWNER, startMessagesWorld, type MessagesWorld } from './world.js'

/** A number paced to one message every 5 s after a burst of two, none allowed to wait more than a second. */
describe('send pacing against bans, end to end', () => {
  let w: MessagesWorld
  before(async () => {
    w = await startMessagesWorld({
      messages: { pacing: { perSecond: 0.2, burst: 2, perChatPerSecond: 0.2, perChatBurst: 2, maxWaitSeconds: 1, typing: false, typingMaxMs: 0 } },
    })
  })
  after(() => w.close())

  it('refuses a send that would wait too long with 429 and Retry-After, and sends nothing for it', async () => {
    for (const text of ['one', 'two']) {
      const { status } = await w.request('POST', '/messages/text', { to: ALICE, text })
      assert.equal(status, 200)
    }
    const { status, envelope, headers } = await w.request('POST', '/messages/text', { to: BOB, text: 'three' })
    assert.equal(status, 429)
    const seconds = Number(headers.get('retry-after'))
    assert.ok(seconds >= 1 && seconds <= 5, `Retry-After ${headers.get('retry-after')}`)
    assert.equal(
      (envelope as { error: string }).error,
      `Not sent: sends are paced to keep the number from being banned, and this one would wait 5 s (more than messages.pacing.maxWaitSeconds). Try again in ${seconds} s, or send less often (messages.pacing)`,
    )
    assert.deepEqual([(await w.signal.nextReply({ chat: jidOf(ALICE) })).text, (await w.signal.nextReply({ chat: jidOf(ALICE) })).text], ['one', 'two'])
    assert.equal(w.signal.replies.filter((m) => m.chat === jidOf(BOB)).length, 0, 'the refused message never went out')
    const metrics = await (await fetch(`${w.runtime.url}/metrics`)).text()
    assert.match(metrics, /waplug_pacing_waits_total\{pacer="send",session="default",outcome="refused"\} 1\n/, 'the refusal is counted for dashboards')
  })

  it('a chat reply the pacing holds back waits its turn instead of being dropped', async () => {
    const { id } = await w.signal.contact(OWNER).say('!ping')
    const [reply] = await w.signal.repliesTo(id, { count: 1, timeoutMs: 20_000 })
    assert.match(reply?.text ?? '', /pong/i)
  })
})

describe('a send its action gave up on, and typing before chat replies', () => {
  let w: MessagesWorld
  before(async () => {
    w = await startMessagesWorld({
      actions: { timeoutMs: 1000 },
      messages: { pacing: { perSecond: 0.25, burst: 1, perChatPerSecond: 1, perChatBurst: 1, maxWaitSeconds: 30, typing: true, typingMaxMs: 300 } },
    })
  })
  after(() => w.close())

  it('is not made after the caller was told it failed', async () => {
    assert.equal((await w.request('POST', '/messages/text', { to: ALICE, text: 'first' })).status, 200)
    const late = await w.request('POST', '/messages/text', { to: BOB, text: 'too late' })
    assert.equal(late.status, 504, 'its pacing slot was 4 s away, past the 1 s action limit')
    await assert.rejects(w.signal.nextReply({ chat: jidOf(BOB), timeoutMs: 5000 }), 'nothing reaches Bob once its slot has come and gone')
    assert.equal((await w.request('POST', '/messages/text', { to: BOB, text: 'now' })).status, 200)
    assert.equal((await w.signal.nextReply({ chat: jidOf(BOB) })).text, 'now')
  })

  it('with messages.pacing.typing, a chat reply shows typing first', async () => {
    const owner = w.signal.contact(OWNER)
    const { id } = await owner.say('!ping')
    assert.equal(await owner.nextChatState({ timeoutMs: 15_000 }), 'composing')
    assert.equal(await owner.nextChatState({ timeoutMs: 15_000 }), 'paused')
    const [reply] = await w.signal.repliesTo(id, { count: 1, timeoutMs: 15_000 })
    assert.match(reply?.text ?? '', /pong/i)
  })
})
