// Media end to end with the real Baileys client on the emulator: Baileys
// encrypts and uploads to the emulator's HTTPS media host, the contact
// downloads, checks and decrypts; a contact's upload is what Baileys'
// downloadMediaMessage gets.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { request } from 'node:https'
import { mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { downloadMediaMessage } from '@whiskeysockets/baileys'
import { withEmulator } from '../emulator/helpers.js'
import { sha256, uploadToken } from '../../emulator/media/media-crypto.js'
import { handleLine } from '../../emulator/sandbox/prompt.js'
import { nextUpsert } from './client-events.js'
import { withSignalBot } from './signal-bot.js'

void test('an image and a document the bot sends reach the contact as the same bytes, with caption, mimetype and file name', async () => {
  await withSignalBot([{ phone: '15550200002', name: 'Alice' }], { timeoutMs: 8000 }, async ({ signal, bot, contacts: [alice] }) => {
    const image = randomBytes(3000)
    await bot.sock.sendMessage(alice.jid, { image, caption: 'a picture', mimetype: 'image/png' })
    const got = await alice.nextReply()
    assert.equal(got.kind, 'image', got.mediaError)
    assert.ok(got.media, got.mediaError)
    assert.ok(got.media.bytes.equals(image))
    assert.equal(got.media.mimetype, 'image/png')
    assert.equal(got.media.caption, 'a picture')
    assert.equal(got.text, 'a picture')

    const pdf = Buffer.from('%PDF-1.4 not really a pdf but bytes are bytes')
    await bot.sock.sendMessage(alice.jid, { document: pdf, fileName: 'report.pdf', mimetype: 'application/pdf' })
    const doc = await alice.nextReply()
    assert.equal(doc.kind, 'document')
    assert.ok(doc.media, doc.mediaError)
    assert.ok(doc.media.bytes.equals(pdf))
    assert.equal(doc.media.fileName, 'report.pdf')
    assert.equal(doc.media.mimetype, 'application/pdf')
    assert.deepEqual(signal.failures, [])
  })
})

void test('media a contact sends is what Baileys downloadMediaMessage gives the bot', async () => {
  await withSignalBot([{ phone: '15550200003', name: 'Bob' }], { timeoutMs: 8000 }, async ({ bot, contacts: [bob] }) => {
    const photo = randomBytes(5000)
    const seen = nextUpsert(bot.sock, (m) => Boolean(m.message?.imageMessage))
    await bob.sendImage(photo, { caption: 'my cat', mimetype: 'image/jpeg' })
    const msg = await seen
    assert.equal(msg.message?.imageMessage?.caption, 'my cat')
    const bytes = await downloadMediaMessage(msg, 'buffer', {})
    assert.ok(bytes.equals(photo))

    const sheet = Buffer.from('a,b\n1,2\n')
    const seenDoc = nextUpsert(bot.sock, (m) => Boolean(m.message?.documentWithCaptionMessage ?? m.message?.documentMessage))
    await bob.sendDocument(sheet, { fileName: 'data.csv', mimetype: 'text/csv', caption: 'numbers' })
    const doc = await seenDoc
    const inner = doc.message?.documentWithCaptionMessage?.message?.documentMessage ?? doc.message?.documentMessage
    assert.equal(inner?.fileName, 'data.csv')
    assert.ok((await downloadMediaMessage(doc, 'buffer', {})).equals(sheet))

    const voice = randomBytes(700)
    const seenVoice = nextUpsert(bot.sock, (m) => Boolean(m.message?.audioMessage))
    await bob.sendAudio(voice, { ptt: true, seconds: 2 })
    const note = await seenVoice
    assert.equal(note.message?.audioMessage?.ptt, true)
    assert.ok((await downloadMediaMessage(note, 'buffer', {})).equals(voice))
  })
})

function post(url: string, body: Buffer): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { 'content-type': 'application/octet-stream' } }, (res) => {
      let text = ''
      res.on('data', (c: Buffer) => (text += c.toString()))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }))
    })
    req.on('error', reject)
    req.end(body)
  })
}

void test('the media host refuses an upload with an unknown auth token or a body that is not the hash it names', async () => {
  await withEmulator(async (emu) => {
    const blob = randomBytes(64)
    const token = uploadToken(sha256(blob))
    const host = `https://${emu.media.hostname}`

    const noAuth = await post(`${host}/mms/image/${token}?auth=made-up&token=${token}`, blob)
    assert.equal(noAuth.status, 401)
    assert.match(noAuth.body, /auth token/)

    const auth = encodeURIComponent(emu.media.issueAuth('test'))
    const wrongHash = await post(`${host}/mms/image/${token}?auth=${auth}&token=${token}`, randomBytes(64))
    assert.equal(wrongHash.status, 400)
    assert.equal(emu.media.all().length, 0)

    const ok = await post(`${host}/mms/image/${token}?auth=${auth}&token=${token}`, blob)
    assert.equal(ok.status, 200)
    const { direct_path: directPath } = JSON.parse(ok.body) as { direct_path: string }
    assert.ok(emu.media.get(directPath)?.enc.equals(blob))
  })
})

void test('a bot whose media token expired fails that upload, and the next one asks media_conn again and succeeds', async () => {
  await withSignalBot([{ phone: '15550200004', name: 'Cy' }], { timeoutMs: 8000 }, async ({ emu, bot, contacts: [cy] }) => {
    await bot.sock.sendMessage(cy.jid, { image: randomBytes(100) })
    await cy.nextReply()
    emu.media.expireAuths()
    await assert.rejects(bot.sock.sendMessage(cy.jid, { image: randomBytes(100) }), /upload failed/i)
    assert.equal(emu.media.refusals.at(-1)?.status, 401)
    const again = randomBytes(100)
    await bot.sock.sendMessage(cy.jid, { image: again })
    assert.ok((await cy.nextReply()).media?.bytes.equals(again))
  })
})

void test('sandbox: :send-image sends a file as the current contact, and an image the bot answers with is shown and saved', async () => {
  await withSignalBot([{ phone: '15550200006', name: 'Eve' }], { timeoutMs: 8000 }, async ({ emu, signal, bot }) => {
    const dir = await mkdtemp(join(tmpdir(), 'waplug-sandbox-test-'))
    const file = join(dir, 'cat.png')
    const picture = randomBytes(1500)
    await writeFile(file, picture)
    const answer = randomBytes(900)
    bot.sock.ev.on('messages.upsert', ({ messages }) => {
      for (const m of messages) {
        if (!m.message?.imageMessage || m.key.fromMe) continue
        void downloadMediaMessage(m, 'buffer', {}).then((got) =>
          bot.sock.sendMessage(m.key.remoteJid!, { image: answer, caption: got.equals(picture) ? 'same bytes' : 'different bytes' }, { quoted: m }),
        )
      }
    })
    const printed: string[] = []
    const deps = { emulator: emu, signal, prefixes: ['!'], print: (line: string) => printed.push(line) }
    await handleLine(`:send-image ${file} a cat`, { as: '15550200006', group: undefined }, deps)
    assert.match(printed[0] ?? '', /^\(sent .*cat\.png, 1500 bytes, as image\/png; message \w+\)$/)
    const shown = printed.find((l) => l.startsWith('bot › '))
    assert.ok(shown, printed.join('\n'))
    assert.match(shown, /^bot › \[image, image\/jpeg, 900 bytes\] same bytes {2}saved to (.+)$/)
    const saved = /saved to (.+)$/.exec(shown)![1]!
    assert.ok((await readFile(saved)).equals(answer))
  })
})
