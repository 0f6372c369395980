import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { it } from 'node:test'
import { downloadMediaMessage, type WAMessage } from '@whiskeysockets/baileys'
import { startTestBot } from 'waplug/testing'

it('waplug/testing: contacts send and receive media and see the bot typing, with the real client underneath', async (t) => {
  const bot = await startTestBot(t)
  const alice = bot.contact('Alice')
  const sock = bot.runtime.whatsapp.socket
  assert.ok(sock, 'the bot is connected')

  const picture = randomBytes(2048)
  await sock.sendMessage(alice.jid, { image: picture, caption: 'for you' })
  const got = await bot.nextMessage({ in: alice })
  assert.equal(got.kind, 'image')
  assert.ok(got.media, got.mediaError)
  assert.ok(got.media.bytes.equals(picture))
  assert.equal(got.media.caption, 'for you')

  const upserted = new Promise<WAMessage>((resolve) => {
    sock.ev.on('messages.upsert', ({ messages }) => {
      const m = messages.find((x) => x.message?.documentMessage)
      if (m) resolve(m)
    })
  })
  const file = Buffer.from('name,score\nalice,3\n')
  const id = await alice.sendDocument(file, { fileName: 'scores.csv', mimetype: 'text/csv' })
  const incoming = await upserted
  assert.equal(incoming.key.id, id)
  assert.equal(incoming.message?.documentMessage?.fileName, 'scores.csv')
  assert.ok((await downloadMediaMessage(incoming, 'buffer', {})).equals(file))

  await sock.sendPresenceUpdate('composing', alice.jid)
  assert.equal(await alice.nextChatState(), 'composing')
})
