import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import { API_KEY } from '../support/emulated-runtime.js'
import { ALICE, eventually, fileServer, jidOf, PDF, PNG, startMessagesWorld, type MessagesWorld } from './world.js'

type Data = Record<string, unknown>

/** Asks again until the answer shows the bot has taken in what a contact sent (its record is written as it arrives). */
async function settled<T>(ask: () => Promise<T>, done: (answer: T) => boolean): Promise<T> {
  let answer = await ask()
  for (let tries = 0; !done(answer) && tries < 50; tries++) {
    await new Promise((resolve) => setTimeout(resolve, 100))
    answer = await ask()
  }
  return answer
}
const dataOf = (envelope: unknown): Data => (envelope as { data: Data }).data

/** A JPEG's first bytes and then noise: what the type check reads is the header. */
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01]), randomBytes(6000)])
/** An Ogg page holding an Opus header: a voice note as WhatsApp records them. */
const OPUS = Buffer.concat([Buffer.from('OggS'), Buffer.alloc(24), Buffer.from('OpusHead'), randomBytes(1200)])

describe('media end to end: the contact decrypts what the bot sends, and the bot serves what the contact sends', () => {
  let w: MessagesWorld
  let files: Awaited<ReturnType<typeof fileServer>>
  before(async () => {
    w = await startMessagesWorld({ messages: { media: { maxBytes: '1mb', fetchTimeoutMs: 5000, allow: { loopback: true, private: false, linkLocal: false } } } })
    files = await fileServer((req, res) => {
      if (req.url === '/page') {
        res.writeHead(200, { 'content-type': 'text/html' })
        res.end('<html><head><title>fallback</title><meta property="og:title" content="Release notes &amp; more"><meta name="description" content="What changed"></head><body>…</body></html>')
      } else if (req.url === '/files/Quarterly%20report.pdf') {
        res.writeHead(200, { 'content-type': 'application/octet-stream' })
        res.end(PDF)
      } else {
        res.writeHead(404)
        res.end()
      }
    })
  })
  after(async () => {
    await files.close()
    await w.close()
  })

  const download = (id: string) => fetch(`${w.runtime.url}/messages/${id}/media`, { headers: { authorization: API_KEY } })

  it('sends an image from base64 with its caption; the contact gets the same bytes', async () => {
    const image = Buffer.concat([PNG, randomBytes(4000)])
    const { status, envelope } = await w.request('POST', '/messages/media', { to: ALICE, kind: 'image', base64: image.toString('base64'), caption: 'the chart' })
    assert.equal(status, 200, JSON.stringify(envelope))
    assert.equal(envelope.message, 'Image sent')
    const got = await w.signal.nextReply({ chat: jidOf(ALICE) })
    assert.equal(got.id, dataOf(envelope).id)
    assert.ok(got.media, got.mediaError)
    assert.ok(got.media.bytes.equals(image), 'the same bytes')
    assert.equal(got.media.mimetype, 'image/png', 'the type read from the bytes')
    assert.equal(got.media.caption, 'the chart')
  })

  it('sends a document from a URL, streamed, named after the URL and typed by its bytes', async () => {
    const { status, envelope } = await w.request('POST', '/messages/media', { to: `+${ALICE}`, kind: 'document', url: `${files.url}/files/Quarterly%20report.pdf` })
    assert.equal(status, 200, JSON.stringify(envelope))
    const got = await w.signal.nextReply({ chat: jidOf(ALICE) })
    assert.ok(got.media, got.mediaError)
    assert.ok(got.media.bytes.equals(PDF))
    assert.equal(got.media.fileName, 'Quarterly report.pdf')
    assert.equal(got.media.mimetype, 'application/pdf', 'not the application/octet-stream the server claimed')
  })

  it('sends a voice note that plays as one', async () => {
    const { status, envelope } = await w.request('POST', '/messages/media', { to: ALICE, kind: 'voice', base64: OPUS.toString('base64') })
    assert.equal(status, 200, JSON.stringify(envelope))
    const got = await w.signal.nextReply({ chat: jidOf(ALICE) })
    assert.ok(got.media, got.mediaError)
    assert.ok(got.media.bytes.equals(OPUS))
    assert.equal(got.raw.audioMessage?.ptt, true)
    assert.equal(got.media.mimetype, 'audio/ogg; codecs=opus')
  })

  it('serves an image a contact sent at GET /messages/:id/media, with its type and a file name', async () => {
    const alice = w.signal.contact(ALICE)
    const { id } = await alice.sendImage(JPEG, { caption: 'my cat', mimetype: 'image/jpeg' })
    // The record of the message is written as the bot takes it in; ask until it is there.
    let response = await download(id)
    for (let tries = 0; response.status === 404 && tries < 50; tries++) {
      await response.body?.cancel()
      await new Promise((resolve) => setTimeout(resolve, 100))
      response = await download(id)
    }
    assert.equal(response.status, 200)
    assert.equal(response.headers.get('content-type'), 'image/jpeg')
    assert.equal(response.headers.get('content-disposition'), `attachment; filename="${id}.jpg"; filename*=UTF-8''${id}.jpg`)
    assert.ok(Buffer.from(await response.arrayBuffer()).equals(JPEG), 'the same bytes')
    const prefixed = await fetch(`${w.runtime.url}/sessions/default/messages/${id}/media`, { headers: { authorization: API_KEY } })
    assert.equal(prefixed.status, 200)
    assert.ok(Buffer.from(await prefixed.arrayBuffer()).equals(JPEG))
  })

  it('answers 404 with an envelope for a message it does not know, or one without media', async () => {
    const unknown = await w.request('GET', '/messages/3EB0UNKNOWN/media')
    assert.equal(unknown.status, 404)
    assert.match((unknown.envelope as { error: string }).error, /^No received message 3EB0UNKNOWN is known; media can be downloaded for the last 5000 messages received in the last 168 hours$/)
    const { id } = await w.signal.contact(ALICE).say('just words')
    const plain = await settled(() => w.request('GET', `/messages/${id}/media`), (r) => !/^No received message/.test((r.envelope as { error: string }).error))
    assert.equal(plain.status, 404)
    assert.equal((plain.envelope as { error: string }).error, `Message ${id} is a text message; it has no media`)
  })

  it('marks what a contact wrote read, and shows typing; the contact sees both', async () => {
    const alice = w.signal.contact(ALICE)
    const { id } = await alice.say('are you there?')
    const read = await settled(() => w.request('POST', `/chats/+${ALICE}/read`, {}), (r) => (dataOf(r.envelope).read as string[]).length > 0)
    assert.equal(read.status, 200, JSON.stringify(read.envelope))
    assert.ok((dataOf(read.envelope).read as string[]).includes(id))
    assert.ok((await alice.nextBotRead()).includes(id), 'the contact sees blue ticks')
    const again = await w.request('POST', `/chats/${ALICE}/read`, {})
    assert.deepEqual(dataOf(again.envelope).read, [], 'nothing is read twice')

    const typing = await w.request('POST', `/chats/${ALICE}/presence`, { presence: 'composing' })
    assert.equal(typing.status, 200, JSON.stringify(typing.envelope))
    assert.equal(await alice.nextChatState(), 'composing')
    await w.request('POST', `/chats/${ALICE}/presence`, { presence: 'paused' })
    assert.equal(await alice.nextChatState(), 'paused')
  })

  it('shows typing before a text sent with typing: true', async () => {
    const alice = w.signal.contact(ALICE)
    const sent = await w.request('POST', '/messages/text', { to: ALICE, text: 'thinking…', typing: true })
    assert.equal(sent.status, 200)
    assert.equal(await alice.nextChatState(), 'composing')
    assert.equal(await alice.nextChatState(), 'paused')
    assert.equal((await w.signal.nextReply({ chat: jidOf(ALICE) })).text, 'thinking…')
  })

  it('tells which numbers have WhatsApp', async () => {
    const { status, envelope } = await w.request('POST', '/contacts/check', { phones: [`+${ALICE}`, '+1 555 000 9999'] })
    assert.equal(status, 200, JSON.stringify(envelope))
    assert.equal(envelope.message, '1 of 2 on WhatsApp')
    assert.deepEqual(dataOf(envelope), [
      { phone: `+${ALICE}`, exists: true, jid: jidOf(ALICE) },
      { phone: '+1 555 000 9999', exists: false },
    ] as unknown as Data)
  })

  it('plugins hear a vote in the poll it sent, and a contact\'s edit and deletion, each with the message it is about', async () => {
    const alice = w.signal.contact(ALICE)
    const poll = await w.request('POST', '/messages/poll', { to: ALICE, name: 'Tea or coffee?', options: ['Tea', 'Coffee'] })
    const pollId = String(dataOf(poll.envelope).id)
    await w.signal.nextReply({ chat: jidOf(ALICE) })
    const vote = await alice.vote(pollId, ['Tea'])
    const { id } = await alice.say('teh tea')
    const edit = await alice.edit(id, 'the tea')
    const deletion = await alice.deleteForEveryone(id)
    const heardOf = async (wanted: string) => {
      await eventually(() => w.heard.some((m) => m.id === wanted), `the plugin hearing ${wanted}`)
      return w.heard.find((m) => m.id === wanted)
    }
    const voted = await heardOf(vote.id)
    assert.deepEqual([voted?.kind, voted?.target], ['poll_vote', { message_id: pollId }])
    const edited = await heardOf(edit.id)
    assert.deepEqual([edited?.kind, edited?.text, edited?.target, edited?.sender], ['edit', 'the tea', { message_id: id }, jidOf(ALICE)])
    const deleted = await heardOf(deletion.id)
    assert.deepEqual([deleted?.kind, deleted?.target], ['delete', { message_id: id }])
  })

  it('adds a link preview only when asked, fetched like media', async () => {
    const link = `${files.url}/page`
    const asked = await w.request('POST', '/messages/text', { to: ALICE, text: `see ${link}`, link_preview: true })
    assert.equal(asked.status, 200, JSON.stringify(asked.envelope))
    const previewed = (await w.signal.nextReply({ chat: jidOf(ALICE) })).raw.extendedTextMessage
    assert.deepEqual([previewed?.title, previewed?.description, previewed?.matchedText], ['Release notes & more', 'What changed', link])
    await w.request('POST', '/messages/text', { to: ALICE, text: `again ${link}` })
    const plain = await w.signal.nextReply({ chat: jidOf(ALICE) })
    assert.equal(plain.text, `again ${link}`)
    assert.equal(plain.raw.extendedTextMessage?.title ?? undefined, undefined, 'no preview by default')
  })
})
