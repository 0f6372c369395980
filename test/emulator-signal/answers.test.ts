// The server answers the client needs before it can send: usync and prekey
// fetch, including the corners (phone lookups, unknown people).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import type { BinaryNode } from '@whiskeysockets/baileys'
import { SignalLayer } from '../../emulator/signal/signal-layer.js'
import { fakeWorld } from './fake-world.js'

function usyncIq(protocols: string[], users: BinaryNode[]): BinaryNode {
  return {
    tag: 'iq',
    attrs: { xmlns: 'usync', type: 'get' },
    content: [
      {
        tag: 'usync',
        attrs: { context: 'interactive', mode: 'query', sid: '7', last: 'true', index: '0' },
        content: [
          { tag: 'query', attrs: {}, content: protocols.map((tag) => ({ tag, attrs: {} })) },
          { tag: 'list', attrs: {}, content: users },
        ],
      },
    ],
  }
}

const kids = (n: BinaryNode | undefined): BinaryNode[] => (Array.isArray(n?.content) ? n.content : [])

void test('usync: phone lookups say who is on WhatsApp; devices and lid only for people who exist', async () => {
  const env = await fakeWorld()
  const layer = new SignalLayer(env.host)
  const erin = env.addContact('15550006666', 'Erin')
  const reply = layer.answerUsync(
    usyncIq(
      ['contact', 'devices', 'lid'],
      [
        { tag: 'user', attrs: {}, content: [{ tag: 'contact', attrs: {}, content: '+1 555 000 6666' }] },
        { tag: 'user', attrs: {}, content: [{ tag: 'contact', attrs: {}, content: '+15559999999' }] },
        { tag: 'user', attrs: { jid: erin.lid } },
      ],
    ),
  )
  assert.equal(reply.attrs.sid, '7')
  const [known, unknown, byLid] = kids(kids(reply)[0])
  assert.equal(known!.attrs.jid, erin.jid)
  assert.deepEqual(kids(known).map((n) => [n.tag, n.attrs.type ?? n.attrs.val ?? '']), [['contact', 'in'], ['devices', ''], ['lid', erin.lid]])
  assert.equal(kids(kids(kids(known)[1])[0]).length, 1, 'one device, the phone')
  assert.equal(unknown!.attrs.jid, '15559999999@s.whatsapp.net')
  assert.deepEqual(kids(unknown).map((n) => [n.tag, n.attrs.type ?? '']), [['contact', 'out'], ['devices', '']])
  assert.equal(kids(kids(kids(unknown)[1])[0]).length, 0, 'no devices')
  assert.deepEqual(kids(byLid).map((n) => n.tag), ['contact', 'devices'], 'no lid for a user asked by lid')
})

void test('prekey fetch: bundles for contacts, the bot phone and the bot companion; an error only for strangers', async () => {
  const env = await fakeWorld()
  const layer = new SignalLayer(env.host)
  const erin = env.addContact('15550006666', 'Erin')
  const before = env.world.botPreKeys().preKeys.size
  const list = layer.answerKeyFetch({
    tag: 'iq',
    attrs: { xmlns: 'encrypt', type: 'get' },
    content: [
      {
        tag: 'key',
        attrs: {},
        content: [erin.lid, env.bot.lid, env.bot.lid.replace('@', ':3@'), '15559999999@s.whatsapp.net'].map((jid) => ({
          tag: 'user',
          attrs: { jid },
        })),
      },
    ],
  })
  const users = kids(list)
  assert.deepEqual(
    users.map((u) => kids(u).map((n) => n.tag)),
    [
      ['registration', 'type', 'identity', 'skey', 'key'],
      ['registration', 'type', 'identity', 'skey', 'key'],
      ['registration', 'type', 'identity', 'skey', 'key'],
      ['error'],
    ],
  )
  assert.equal(env.world.botPreKeys().preKeys.size, before - 1, "the companion's one-time prekey is used up")
  // Each fetch hands out a different one-time prekey.
  const again = kids(layer.answerKeyFetch({ tag: 'iq', attrs: {}, content: [{ tag: 'key', attrs: {}, content: [{ tag: 'user', attrs: { jid: erin.jid } }] }] }))
  const keyId = (u: BinaryNode | undefined) => Buffer.from(kids(kids(u).find((n) => n.tag === 'key'))[0]!.content as Uint8Array).toString('hex')
  assert.notEqual(keyId(again[0]), keyId(users[0]))
})
