// Reactions, polls and votes, edits, deletes, locations and contact cards
// both ways, receipts, chat states and the number check, with the real
// Baileys client on the emulator.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { decryptPollVote, jidNormalizedUser, proto, type WAMessage, type WAMessageUpdate } from '@whiskeysockets/baileys'
import { createHash } from 'node:crypto'
import { nextEvent, pairedBot, withEmulator } from '../emulator/helpers.js'
import { nextUpsert, within } from './client-events.js'
import { withSignalBot } from './signal-bot.js'

void test('what the bot sends of each kind, the contact sees as that kind', async () => {
  await withSignalBot([{ phone: '15550200002', name: 'Alice' }], { timeoutMs: 8000 }, async ({ signal, bot, contacts: [alice] }) => {
    const jid = alice.jid
    const sent = await bot.sock.sendMessage(jid, { text: 'hello @15550200002, see https://example.org', mentions: [jid] })
    // A copy: Baileys keeps the message it returned and, when it processes its own delete of it while
    // events are buffered, merges the update into it, key and all (the delete's own key replaces it).
    const first = { ...sent!, key: { ...sent!.key } }
    const hello = await alice.nextReply()
    assert.equal(hello.kind, 'text')
    assert.deepEqual(hello.mentions, [jid])

    await bot.sock.sendMessage(jid, { text: 'quoting', linkPreview: { 'matched-text': 'https://example.org', title: 'Example', description: 'An example', 'canonical-url': 'https://example.org' } }, { quoted: first })
    const quoting = await alice.nextReply()
    assert.equal(quoting.quotedId, first.key.id)
    assert.equal(quoting.linkPreview?.title, 'Example')

    await bot.sock.sendMessage(jid, { react: { key: first.key, text: '🔥' } })
    assert.deepEqual((await alice.nextReply()).reaction, { id: first.key.id, text: '🔥', fromMe: true })
    await bot.sock.sendMessage(jid, { react: { key: first.key, text: '' } })
    const removed = await alice.nextReply()
    assert.equal(removed.kind, 'reaction')
    assert.equal(removed.reaction?.text, '')

    await bot.sock.sendMessage(jid, { poll: { name: 'Lunch?', values: ['pizza', 'salad'], selectableCount: 1 } })
    const poll = await alice.nextReply()
    assert.equal(poll.kind, 'poll')
    assert.equal(poll.poll?.name, 'Lunch?')
    assert.deepEqual(poll.poll?.options, ['pizza', 'salad'])
    assert.equal(poll.poll?.messageSecret?.length, 32)

    await bot.sock.sendMessage(jid, { text: 'hello, edited', edit: first.key })
    assert.deepEqual((await alice.nextReply()).edit, { id: first.key.id, text: 'hello, edited' })
    await bot.sock.sendMessage(jid, { delete: first.key })
    const deleted = await alice.nextReply()
    assert.equal(deleted.kind, 'delete')
    assert.deepEqual(deleted.delete, { id: first.key.id })

    await bot.sock.sendMessage(jid, { location: { degreesLatitude: 52.37, degreesLongitude: 4.89, name: 'Dam' } })
    assert.deepEqual((await alice.nextReply()).location, { latitude: 52.37, longitude: 4.89, name: 'Dam' })

    const vcard = 'BEGIN:VCARD\nVERSION:3.0\nFN:Zed\nTEL;type=CELL;waid=15550209999:+15550209999\nEND:VCARD'
    await bot.sock.sendMessage(jid, { contacts: { displayName: 'Zed', contacts: [{ vcard }] } })
    const card = await alice.nextReply()
    assert.equal(card.kind, 'contact')
    assert.equal(card.contacts?.[0]?.vcard, vcard)
    assert.deepEqual(signal.failures, [])
  })
})

void test('what a contact sends of each kind reaches the bot as that kind, and its vote decrypts with the poll secret', async () => {
  await withSignalBot([{ phone: '15550200003', name: 'Bob' }], { timeoutMs: 8000 }, async ({ bot, contacts: [bob] }) => {
    const up = (pred: (m: WAMessage) => boolean): Promise<WAMessage> => nextUpsert(bot.sock, pred, 8000)

    const sentPoll = await bot.sock.sendMessage(bob.jid, { poll: { name: 'Lunch?', values: ['pizza', 'salad'], selectableCount: 1 } })
    const poll = await bob.nextReply()

    const reacted = new Promise<{ id: string; text: string }>((resolve) => {
      bot.sock.ev.on('messages.reaction', (items) => {
        for (const i of items) resolve({ id: i.key.id ?? '', text: i.reaction.text ?? '' })
      })
    })
    await bob.react(poll.id, '👍')
    assert.deepEqual(await within(reacted, 5000, 'messages.reaction'), { id: poll.id, text: '👍' })

    const voted = up((m) => Boolean(m.message?.pollUpdateMessage))
    await bob.vote(poll.id, ['salad'])
    const vote = (await voted).message!.pollUpdateMessage!
    assert.equal(vote.pollCreationMessageKey?.id, poll.id)
    const secret = sentPoll!.message!.messageContextInfo!.messageSecret!
    const decrypted = decryptPollVote(vote.vote!, {
      pollEncKey: secret,
      pollCreatorJid: jidNormalizedUser(bot.sock.user!.id),
      pollMsgId: poll.id,
      voterJid: bob.lid,
    })
    assert.deepEqual(decrypted.selectedOptions?.map((o) => Buffer.from(o).toString('hex')), [createHash('sha256').update('salad').digest('hex')])

    const ownPoll = up((m) => Boolean(m.message?.pollCreationMessageV3))
    await bob.sendPoll('Dinner?', ['soup', 'stew'])
    assert.deepEqual((await ownPoll).message?.pollCreationMessageV3?.options?.map((o) => o.optionName), ['soup', 'stew'])

    const seenText = up((m) => m.message?.conversation === 'typo')
    const { id } = await bob.say('typo')
    await seenText
    const edited = up((m) => m.message?.protocolMessage?.type === proto.Message.ProtocolMessage.Type.MESSAGE_EDIT)
    await bob.edit(id, 'fixed')
    const edit = (await edited).message!.protocolMessage!
    assert.equal(edit.key?.id, id)
    assert.equal(edit.editedMessage?.conversation, 'fixed')

    const revoked = up((m) => m.message?.protocolMessage?.type === proto.Message.ProtocolMessage.Type.REVOKE)
    await bob.deleteForEveryone(id)
    assert.equal((await revoked).message?.protocolMessage?.key?.id, id)

    const located = up((m) => Boolean(m.message?.locationMessage))
    await bob.sendLocation({ latitude: 48.85, longitude: 2.35, name: 'Paris' })
    assert.equal((await located).message?.locationMessage?.name, 'Paris')

    const carded = up((m) => Boolean(m.message?.contactMessage))
    await bob.sendContactCard({ name: 'Zed', phone: '+1 555 020 9999' })
    assert.match((await carded).message?.contactMessage?.vcard ?? '', /waid=15550209999/)
  })
})

void test('delivery and read receipts reach the bot as status updates; its read receipts and chat states reach the contact', async () => {
  await withSignalBot([{ phone: '15550200004', name: 'Cy' }], { timeoutMs: 8000 }, async ({ bot, contacts: [cy] }) => {
    const statuses: number[] = []
    const statusOf = (u: WAMessageUpdate[]): void => {
      for (const x of u) if (typeof x.update.status === 'number' && x.key.fromMe) statuses.push(x.update.status)
    }
    bot.sock.ev.on('messages.update', statusOf)
    const sent = await bot.sock.sendMessage(cy.jid, { text: 'did you get this?' })
    const got = await cy.nextReply()
    const reached = (status: proto.WebMessageInfo.Status): Promise<WAMessageUpdate[]> =>
      nextEvent(bot.sock, 'messages.update', (u) => u.some((x) => x.key.id === sent!.key.id && x.update.status === status), 5000)
    const delivered = reached(proto.WebMessageInfo.Status.DELIVERY_ACK)
    cy.delivered(got.id)
    await delivered
    const read = reached(proto.WebMessageInfo.Status.READ)
    cy.read(got.id)
    await read
    assert.ok(statuses.includes(proto.WebMessageInfo.Status.READ))

    const seen = nextUpsert(bot.sock, (m) => m.message?.conversation === 'yes')
    await cy.say('yes')
    const incoming = await seen
    await bot.sock.readMessages([incoming.key])
    assert.deepEqual(await cy.nextBotRead(), [incoming.key.id])

    await bot.sock.sendPresenceUpdate('composing', cy.jid)
    assert.equal(await cy.nextChatState(), 'composing')
    await bot.sock.sendPresenceUpdate('recording', cy.jid)
    assert.equal(await cy.nextChatState(), 'recording')
    await bot.sock.sendPresenceUpdate('paused', cy.jid)
    assert.equal(await cy.nextChatState(), 'paused')
  })
})

void test('onWhatsApp: numbers in the world exist with their jid, unknown ones do not', async () => {
  await withEmulator(async (emu) => {
    emu.addContact({ phone: '15550200005', name: 'Dee' })
    const bot = await pairedBot(emu)
    try {
      // Baileys lists only the numbers the server says are on WhatsApp.
      const answers = await bot.sock.onWhatsApp('+1 555 020 0005', '15550299999')
      assert.deepEqual(answers, [{ jid: '15550200005@s.whatsapp.net', exists: true }])
    } finally {
      await bot.dispose()
    }
  })
})
