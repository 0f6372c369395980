import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { ALICE, BOB, eventually, jidOf, OWNER, startMessagesWorld, type MessagesWorld } from './world.js'

type Data = Record<string, unknown>
const dataOf = (envelope: unknown): Data => (envelope as { data: Data }).data

describe('sending messages over HTTP, end to end on the emulator', () => {
  let w: MessagesWorld
  before(async () => {
    w = await startMessagesWorld()
  })
  after(() => w.close())

  it('sends a text with a mention, quoting what the contact wrote, to a phone number in any common format', async () => {
    const { id: asked } = await w.signal.contact(ALICE).say('can you hear me?')
    const { status, envelope } = await w.request('POST', '/messages/text', { to: '+1 555 000-2222', text: `Yes, and so does @${BOB}`, reply_to: asked })
    assert.equal(status, 200, JSON.stringify(envelope))
    assert.equal(envelope.message, 'Message sent')
    const data = dataOf(envelope)
    assert.equal(data.chat, jidOf(ALICE))
    assert.match(String(data.id), /^[0-9A-F]{10,}$/)
    assert.ok(Math.abs(Number(data.timestamp) - Date.now() / 1000) < 60, 'the timestamp is now, in unix seconds')
    const got = await w.signal.nextReply({ chat: jidOf(ALICE) })
    assert.equal(got.id, data.id)
    assert.equal(got.text, `Yes, and so does @${BOB}`)
    assert.deepEqual(got.mentions, [jidOf(BOB)])
    assert.equal(got.quotedId, asked)
  })

  it('reaches the contact through the session-prefixed route, by 00 prefix and by jid alike', async () => {
    for (const to of [`00${ALICE}`, jidOf(ALICE)]) {
      const { status, envelope } = await w.request('POST', '/sessions/default/messages/text', { to, text: `via ${to}` })
      assert.equal(status, 200, JSON.stringify(envelope))
      const got = await w.signal.nextReply({ chat: jidOf(ALICE) })
      assert.equal(got.text, `via ${to}`)
    }
  })

  it('sends a location, a contact card and a poll that the contact reads as such', async () => {
    const location = await w.request('POST', '/messages/location', { to: ALICE, latitude: 52.52, longitude: 13.405, name: 'Berlin', address: 'Pariser Platz' })
    assert.equal(location.status, 200, JSON.stringify(location.envelope))
    const pin = (await w.signal.nextReply({ chat: jidOf(ALICE) })).raw.locationMessage
    assert.deepEqual([pin?.degreesLatitude, pin?.degreesLongitude, pin?.name, pin?.address], [52.52, 13.405, 'Berlin', 'Pariser Platz'])

    const contact = await w.request('POST', '/messages/contact', { to: ALICE, contacts: [{ name: 'Bob', phone: '+1 555 000 3333' }] })
    assert.equal(contact.status, 200, JSON.stringify(contact.envelope))
    const card = (await w.signal.nextReply({ chat: jidOf(ALICE) })).raw.contactMessage
    assert.equal(card?.displayName, 'Bob')
    assert.match(card?.vcard ?? '', /waid=15550003333:\+15550003333/)

    const poll = await w.request('POST', '/messages/poll', { to: ALICE, name: 'Lunch?', options: ['Pizza', 'Sushi', 'Salad'], selectable: 1 })
    assert.equal(poll.status, 200, JSON.stringify(poll.envelope))
    const raw = (await w.signal.nextReply({ chat: jidOf(ALICE) })).raw
    const question = raw.pollCreationMessage ?? raw.pollCreationMessageV3 ?? raw.pollCreationMessageV2
    assert.equal(question?.name, 'Lunch?')
    assert.deepEqual(question?.options?.map((o) => o.optionName), ['Pizza', 'Sushi', 'Salad'])
    assert.equal(question?.selectableOptionsCount, 1)
  })

  it('reacts to a contact\'s message and takes the reaction back', async () => {
    const { id } = await w.signal.contact(ALICE).say('react to this')
    const reacted = await w.request('POST', '/messages/reaction', { to: ALICE, message_id: id, emoji: '👍' })
    assert.equal(reacted.status, 200, JSON.stringify(reacted.envelope))
    const reaction = (await w.signal.nextReply({ chat: jidOf(ALICE) })).raw.reactionMessage
    assert.equal(reaction?.text, '👍')
    assert.equal(reaction?.key?.id, id)
    assert.equal(reaction?.key?.fromMe, false, 'the reaction names the contact\'s message, not one of the bot\'s')
    const removed = await w.request('POST', '/messages/reaction', { to: ALICE, message_id: id, emoji: '' })
    assert.equal(removed.envelope.message, 'Reaction removed')
    assert.equal((await w.signal.nextReply({ chat: jidOf(ALICE) })).raw.reactionMessage?.text, '')
  })

  it('edits and deletes its own message for everyone; DELETE takes the chat from the query', async () => {
    const sent = await w.request('POST', '/messages/text', { to: ALICE, text: 'teh typo' })
    const id = String(dataOf(sent.envelope).id)
    await w.signal.nextReply({ chat: jidOf(ALICE) })
    const edited = await w.request('PUT', `/messages/${id}`, { to: ALICE, text: 'the typo, fixed' })
    assert.equal(edited.status, 200, JSON.stringify(edited.envelope))
    const edit = (await w.signal.nextReply({ chat: jidOf(ALICE) })).raw.protocolMessage
    assert.equal(edit?.key?.id, id)
    assert.equal(edit?.editedMessage?.conversation ?? edit?.editedMessage?.extendedTextMessage?.text, 'the typo, fixed')
    const deleted = await w.request('DELETE', `/messages/${id}?to=${ALICE}`)
    assert.equal(deleted.status, 200, JSON.stringify(deleted.envelope))
    assert.equal(deleted.envelope.message, 'Message deleted for everyone')
    const revoke = (await w.signal.nextReply({ chat: jidOf(ALICE) })).raw.protocolMessage
    assert.equal(revoke?.key?.id, id)
    assert.equal(revoke?.type, 0, 'a REVOKE')
  })

  it('writes in a group, mentioning a member, and reacts to what a member wrote there', async () => {
    const group = w.emulator.createGroupAs(ALICE, 'Team', [BOB], { botIsAdmin: true }).jid
    const { status, envelope } = await w.request('POST', '/messages/text', { to: group, text: `Welcome @${BOB}` })
    assert.equal(status, 200, JSON.stringify(envelope))
    const got = await w.signal.nextReply({ chat: group })
    assert.equal(got.text, `Welcome @${BOB}`)
    assert.deepEqual(got.mentions, [jidOf(BOB)])
    const { id } = await w.signal.contact(BOB).say('thanks!', { group })
    // The bot remembers who wrote it, so the reaction names the member's message without being told.
    let reacted = await w.request('POST', '/messages/reaction', { to: group, message_id: id, emoji: '🎉' })
    assert.equal(reacted.status, 200, JSON.stringify(reacted.envelope))
    let reaction = (await w.signal.nextReply({ chat: group })).raw.reactionMessage
    assert.equal(reaction?.key?.id, id)
    assert.equal(reaction?.key?.fromMe, false)
    assert.ok([jidOf(BOB), w.emulator.contact(BOB)?.lid].includes(reaction?.key?.participant ?? ''), `the member's message: ${reaction?.key?.participant}`)
    // Or is told, for a message it did not see.
    reacted = await w.request('POST', '/messages/reaction', { to: group, message_id: '3EB0NOTSEEN', emoji: '👀', sender: `+${ALICE}` })
    assert.equal(reacted.status, 200)
    reaction = (await w.signal.nextReply({ chat: group })).raw.reactionMessage
    assert.equal(reaction?.key?.participant, jidOf(ALICE))
  })

  it('hears the contact\'s phone take and read what it sent, as message statuses', async () => {
    const sent = await w.request('POST', '/messages/text', { to: ALICE, text: 'read me' })
    const id = String(dataOf(sent.envelope).id)
    await w.signal.nextReply({ chat: jidOf(ALICE) })
    await eventually(() => w.statuses.some((s) => s.id === id && s.status === 'read'), 'the read receipt')
    assert.deepEqual(
      w.statuses.filter((s) => s.id === id).map((s) => [s.chat, s.status]),
      [
        [jidOf(ALICE), 'sent'],
        [jidOf(ALICE), 'read'],
      ],
    )
  })

  it('refuses a recipient it cannot place, saying how to write one', async () => {
    const cases: [unknown, string][] = [
      [{ to: '0170 1234567', text: 'x' }, "to: '0170 1234567' has no country code"],
      [{ to: 'alice', text: 'x' }, "to: 'alice' is not a phone number or WhatsApp id; write a phone number with its country code (+49 170 1234567)"],
      [{ to: 'bob@example.com', text: 'x' }, "to: 'bob@example.com' is not a WhatsApp id"],
      [{ to: ALICE, text: '   ' }, 'text'],
    ]
    for (const [body, error] of cases) {
      const { status, envelope } = await w.request('POST', '/messages/text', body)
      assert.equal(status, 400, JSON.stringify(body))
      assert.ok((envelope as { error: string }).error.startsWith(error), `${(envelope as { error: string }).error} should start with ${error}`)
    }
  })

  it('!send sends for an owner and refuses anyone else', async () => {
    const { id } = await w.signal.contact(OWNER).say(`!send +${ALICE} Hello from the owner`)
    const [reply] = await w.signal.repliesTo(id, { count: 1 })
    assert.match(reply?.text ?? '', /^✅ Sent \(id [0-9A-F]+\)$/)
    const got = await w.signal.nextReply({ chat: jidOf(ALICE) })
    assert.equal(got.text, 'Hello from the owner')
    const refused = await w.signal.contact(BOB).say(`!send +${ALICE} spam`)
    const [answer] = await w.signal.repliesTo(refused.id, { count: 1 })
    assert.equal(answer?.text, "❌ Only the bot's owners may use !send")
  })

  it('!check tells an owner which numbers have WhatsApp, and !help lists both commands for owners only', async () => {
    const { id } = await w.signal.contact(OWNER).say(`!check +${ALICE} 15550009999`)
    const [reply] = await w.signal.repliesTo(id, { count: 1 })
    assert.equal(reply?.text, `✅ +${ALICE} is on WhatsApp\n❌ 15550009999 is not on WhatsApp`)
    const help = async (phone: string) => {
      const asked = await w.signal.contact(phone).say('!help')
      return (await w.signal.repliesTo(asked.id, { count: 1 }))[0]?.text ?? ''
    }
    const owners = await help(OWNER)
    assert.match(owners, /!send <to> <text\.\.\.>/)
    assert.match(owners, /!check <phones\.\.\.>/)
    assert.doesNotMatch(await help(BOB), /!send|!check/)
  })

})
