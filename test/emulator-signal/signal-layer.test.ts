// The Signal layer against Baileys' own message code paths, no server:
// stanzas it builds go through Baileys' decryptMessageNode; stanzas built the
// way Baileys' relayMessage builds them go through the layer.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { pino } from 'pino'
import { decryptMessageNode, encodeWAMessage, getBinaryNodeChild, getBinaryNodeChildren, parseAndInjectE2ESessions } from '@whiskeysockets/baileys'
import type { BinaryNode, proto } from '@whiskeysockets/baileys'
import { SignalLayer } from '../../emulator/signal/signal-layer.js'
import { fakeWorld } from './fake-world.js'

const logger = pino({ level: 'silent' })

async function clientReads(env: Awaited<ReturnType<typeof fakeWorld>>, stanza: BinaryNode): Promise<proto.IWebMessageInfo> {
  const { creds, repository } = env.device
  const d = decryptMessageNode(stanza, creds.me!.id, creds.me!.lid!, repository, logger)
  await d.decrypt()
  return d.fullMessage
}

function receiptFor(stanza: BinaryNode): BinaryNode {
  const { id, from, participant } = stanza.attrs
  return { tag: 'receipt', attrs: { id: id!, to: from!, ...(participant ? { participant } : {}) } }
}

void test('contact → bot, 1:1: the client decrypts what say() sends, and say() resolves on its receipt', async () => {
  const env = await fakeWorld()
  const layer = new SignalLayer(env.host, { timeoutMs: 2000 })
  const alice = layer.contact(env.addContact('15550002222', 'Alice').jid)

  let firstId: string | undefined
  for (const text of ['!ping', 'second']) {
    const said = alice.say(text, firstId ? { quoted: firstId } : {})
    await new Promise((r) => setImmediate(r))
    const stanza = env.pushed.at(-1)!
    assert.equal(stanza.attrs.from, alice.lid)
    assert.equal(stanza.attrs.sender_pn, alice.jid)
    const msg = await clientReads(env, stanza)
    assert.equal(msg.key?.remoteJid, alice.lid)
    if (firstId) {
      // A quote carries what it quotes, as a phone's does.
      const context = msg.message?.extendedTextMessage?.contextInfo
      assert.equal(msg.message?.extendedTextMessage?.text, text)
      assert.equal(context?.stanzaId, firstId)
      assert.equal(context?.participant, alice.lid)
      assert.equal(context?.quotedMessage?.conversation, '!ping')
    } else assert.equal(msg.message?.conversation, text)
    layer.onReceipt(receiptFor(stanza))
    assert.equal((await said).id, stanza.attrs.id)
    firstId ??= stanza.attrs.id
  }
  layer.close()
})

void test('contact → bot, group: sender key goes first in a pairwise part, then skmsg; mentions and quotes travel', async () => {
  const env = await fakeWorld()
  const layer = new SignalLayer(env.host, { timeoutMs: 2000 })
  const bob = layer.contact(env.addContact('15550003333', 'Bob').jid)
  const group = '120363111111111111@g.us'

  const first = bob.say('hello group', { group })
  await new Promise((r) => setImmediate(r))
  const s1 = env.pushed.at(-1)!
  assert.deepEqual((s1.content as BinaryNode[]).map((e) => e.attrs.type), ['pkmsg', 'skmsg'])
  assert.equal((await clientReads(env, s1)).message?.conversation, 'hello group')
  layer.onReceipt(receiptFor(s1))
  await first

  const second = bob.say(`@${env.bot.lid.split('@')[0]} hi`, { group, mentions: [env.bot.lid], quoted: 'ABC' })
  await new Promise((r) => setImmediate(r))
  const s2 = env.pushed.at(-1)!
  assert.deepEqual((s2.content as BinaryNode[]).map((e) => e.attrs.type), ['skmsg'])
  const m2 = await clientReads(env, s2)
  assert.deepEqual(m2.message?.extendedTextMessage?.contextInfo?.mentionedJid, [env.bot.lid])
  assert.equal(m2.message?.extendedTextMessage?.contextInfo?.stanzaId, 'ABC')
  layer.onReceipt(receiptFor(s2))
  await second
  layer.close()
})

void test('say() rejects when no receipt comes', async () => {
  const env = await fakeWorld()
  const layer = new SignalLayer(env.host, { timeoutMs: 100 })
  const carol = layer.contact(env.addContact('15550004444', 'Carol').jid)
  await assert.rejects(carol.say('nobody listens'), /no receipt/)
  layer.close()
})

void test('a retry receipt makes the contact send the message again, same id: on its session, or on a new one from the keys the receipt carries; after three resends it gives up', async () => {
  const env = await fakeWorld()
  const layer = new SignalLayer(env.host, { timeoutMs: 2000 })
  const erin = layer.contact(env.addContact('15550006666', 'Erin').jid)
  const said = erin.say('say that again')
  const pushed = async (count: number) => {
    for (let i = 0; env.pushed.length < count; i++) {
      if (i > 1000) throw new Error(`only ${env.pushed.length} stanzas pushed, waited for ${count}`)
      await new Promise((r) => setImmediate(r))
    }
    return env.pushed.at(-1)!
  }
  const first = await pushed(1)
  assert.equal((await clientReads(env, first)).message?.conversation, 'say that again')
  const retry = (stanza: BinaryNode, count: number, keys?: BinaryNode): BinaryNode => ({
    tag: 'receipt',
    attrs: { id: stanza.attrs.id!, type: 'retry', to: stanza.attrs.from! },
    content: [
      { tag: 'retry', attrs: { count: String(count), id: stanza.attrs.id!, t: stanza.attrs.t!, v: '1' } },
      getBinaryNodeChild(env.device.uploadNode, 'registration')!,
      ...(keys ? [keys] : []),
    ],
  })

  // Without keys in the receipt (a client's first retry), the phone encrypts it again on the session it has.
  layer.onReceipt(retry(first, 1))
  layer.onAck({ tag: 'ack', attrs: { class: 'message', id: first.attrs.id!, error: '500' } })
  const second = await pushed(2)
  assert.equal(second.attrs.id, first.attrs.id)
  assert.deepEqual((second.content as BinaryNode[]).map((e) => e.attrs.type), ['pkmsg'])
  assert.equal((await clientReads(env, second)).message?.conversation, 'say that again')

  // From its second retry the client puts its own keys in the receipt; the new session starts from those.
  const upload = env.device.uploadNode
  const keys: BinaryNode = {
    tag: 'keys',
    attrs: {},
    content: [
      getBinaryNodeChild(upload, 'type')!,
      getBinaryNodeChild(upload, 'identity')!,
      getBinaryNodeChildren(getBinaryNodeChild(upload, 'list'), 'key').at(-1)!,
      getBinaryNodeChild(upload, 'skey')!,
    ],
  }
  layer.onReceipt(retry(second, 2, keys))
  const third = await pushed(3)
  assert.equal((await clientReads(env, third)).message?.conversation, 'say that again')

  layer.onReceipt(retry(third, 3))
  await pushed(4)
  layer.onReceipt(retry(env.pushed.at(-1)!, 4))
  await assert.rejects(said, /retry receipt/)
  assert.equal(env.pushed.length, 4)
  layer.close()
})

void test('bot → contact: usync, prekey fetch and a relayMessage-shaped stanza end as plain text', async () => {
  const env = await fakeWorld()
  const layer = new SignalLayer(env.host, { timeoutMs: 1000 })
  const dave = layer.contact(env.addContact('15550005555', 'Dave').jid)
  const { repository } = env.device

  const usync = layer.answerUsync({
    tag: 'iq',
    attrs: { xmlns: 'usync', type: 'get' },
    content: [
      {
        tag: 'usync',
        attrs: { context: 'message', mode: 'query', sid: '1' },
        content: [
          { tag: 'query', attrs: {}, content: [{ tag: 'devices', attrs: { version: '2' } }, { tag: 'lid', attrs: {} }] },
          { tag: 'list', attrs: {}, content: [{ tag: 'user', attrs: { jid: dave.jid } }, { tag: 'user', attrs: { jid: env.bot.lid } }] },
        ],
      },
    ],
  })
  const users = ((usync.content as BinaryNode[])[0]!.content as BinaryNode[])
  assert.equal(users[0]!.attrs.jid, dave.jid)
  assert.deepEqual((users[0]!.content as BinaryNode[]).map((n) => n.tag), ['devices', 'lid'])
  assert.equal((users[0]!.content as BinaryNode[])[1]!.attrs.val, dave.lid)

  // One batch for the contact and the account's own phone; an error anywhere would fail it all.
  const list = layer.answerKeyFetch({
    tag: 'iq',
    attrs: { xmlns: 'encrypt', type: 'get' },
    content: [{ tag: 'key', attrs: {}, content: [{ tag: 'user', attrs: { jid: dave.lid } }, { tag: 'user', attrs: { jid: env.bot.lid } }] }],
  })
  await parseAndInjectE2ESessions({ tag: 'iq', attrs: { type: 'result' }, content: [list] }, repository)

  const text = { extendedTextMessage: { text: 'pong', contextInfo: { stanzaId: 'Q1' } } }
  const toDave = await repository.encryptMessage({ jid: dave.lid, data: encodeWAMessage(text) })
  const toPhone = await repository.encryptMessage({
    jid: env.bot.lid,
    data: encodeWAMessage({ deviceSentMessage: { destinationJid: dave.jid, message: text } }),
  })
  assert.equal(toDave.type, 'pkmsg')
  const reply = dave.nextReply()
  await layer.onBotMessage({
    tag: 'message',
    attrs: { id: 'BOT1', to: dave.jid, type: 'text' },
    content: [
      {
        tag: 'participants',
        attrs: {},
        content: [
          { tag: 'to', attrs: { jid: env.bot.lid }, content: [{ tag: 'enc', attrs: { v: '2', type: toPhone.type }, content: toPhone.ciphertext }] },
          { tag: 'to', attrs: { jid: dave.lid }, content: [{ tag: 'enc', attrs: { v: '2', type: toDave.type }, content: toDave.ciphertext }] },
        ],
      },
      { tag: 'device-identity', attrs: {}, content: Buffer.alloc(4) },
    ],
  })
  const got = await reply
  assert.equal(got.text, 'pong')
  assert.equal(got.quotedId, 'Q1')
  assert.equal(got.chat, dave.jid)
  assert.deepEqual(got.readBy, [dave.jid])
  assert.deepEqual(env.pushed.at(-1)!.attrs, { class: 'message', id: 'BOT1', from: dave.jid, t: env.pushed.at(-1)!.attrs.t })
  assert.deepEqual(layer.failures, [])
  layer.close()
})
