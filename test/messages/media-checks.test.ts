import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { ALICE, fileServer, PDF, PNG, startMessagesWorld, type MessagesWorld } from './world.js'

type Failure = { error: string }

/** Media the bot refuses before anything reaches WhatsApp: the wrong kind of file, and URLs too large, too slow or not allowed. */
describe('media checks on the way out', () => {
  let w: MessagesWorld
  let files: Awaited<ReturnType<typeof fileServer>>
  let stalled: (() => void)[] = []
  before(async () => {
    w = await startMessagesWorld({ messages: { media: { maxBytes: '64kb', fetchTimeoutMs: 1500, allow: { loopback: true, private: false, linkLocal: false } } } })
    files = await fileServer((req, res) => {
      if (req.url === '/big-announced.jpg') {
        res.writeHead(200, { 'content-type': 'image/png', 'content-length': String(10 * 1024 * 1024) })
        res.end()
      } else if (req.url === '/big-streamed.png') {
        // No length announced: the limit is found while reading.
        res.writeHead(200, { 'content-type': 'image/png' })
        res.write(PNG)
        const chunk = Buffer.alloc(16 * 1024, 7)
        let sent = 0
        const more = () => {
          if (sent++ > 20 || res.destroyed) return res.end()
          res.write(chunk, () => setImmediate(more))
        }
        more()
      } else if (req.url === '/slow.png') {
        res.writeHead(200, { 'content-type': 'image/png' })
        res.write(PNG.subarray(0, 8))
        stalled.push(() => res.destroy())
      } else if (req.url === '/report.png') {
        // Named and typed as an image, but a PDF.
        res.writeHead(200, { 'content-type': 'image/png' })
        res.end(PDF)
      } else if (req.url === '/moved') {
        res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data' })
        res.end()
      } else {
        res.writeHead(404)
        res.end()
      }
    })
  })
  after(async () => {
    for (const stop of stalled) stop()
    stalled = []
    await files.close()
    await w.close()
  })

  const sendMedia = (body: Record<string, unknown>) => w.request('POST', '/messages/media', { to: ALICE, ...body })

  it('refuses a file whose bytes are not the kind asked for, and says what it is', async () => {
    const asBase64 = await sendMedia({ kind: 'image', base64: PDF.toString('base64'), file_name: 'photo.jpg', mimetype: 'image/jpeg' })
    assert.equal(asBase64.status, 400)
    assert.equal((asBase64.envelope as Failure).error, "the image is a PDF file (application/pdf), not a JPEG or PNG image; send a JPEG or PNG image, or send this file with kind 'document'")
    const fromUrl = await sendMedia({ kind: 'image', url: `${files.url}/report.png` })
    assert.equal(fromUrl.status, 400)
    assert.match((fromUrl.envelope as Failure).error, /^the image is a PDF file \(application\/pdf\)/)
    const sticker = await sendMedia({ kind: 'sticker', base64: PNG.toString('base64') })
    assert.equal((sticker.envelope as Failure).error, "the sticker is a PNG file (image/png), not a WebP image; send a WebP image, or send this file with kind 'image'")
  })

  it('refuses a URL whose file is larger than the limit, announced or not', async () => {
    const announced = await sendMedia({ kind: 'image', url: `${files.url}/big-announced.jpg` })
    assert.equal(announced.status, 413)
    assert.equal((announced.envelope as Failure).error, 'the file at the media URL (10 MB) is larger than the 0.1 MB limit (messages.media.maxBytes)')
    const streamed = await sendMedia({ kind: 'image', url: `${files.url}/big-streamed.png` })
    assert.equal(streamed.status, 413, JSON.stringify(streamed.envelope))
    assert.equal((streamed.envelope as Failure).error, 'the file at the media URL is larger than the 0.1 MB limit (messages.media.maxBytes)')
  })

  it('gives up on a URL that does not send its file in time', async () => {
    const started = Date.now()
    const slow = await sendMedia({ kind: 'image', url: `${files.url}/slow.png` })
    assert.equal(slow.status, 408, JSON.stringify(slow.envelope))
    assert.equal((slow.envelope as Failure).error, 'the media URL did not send the whole file within 1500 ms (messages.media.fetchTimeoutMs); give a faster source, or send the file as base64')
    assert.ok(Date.now() - started < 10_000)
  })

  it('refuses addresses a webhook could not point at either, redirects included', async () => {
    const cases: [string, string][] = [
      ['http://169.254.169.254/latest/meta-data', 'the media URL points at 169.254.169.254, a link-local address; set messages.media.allow.linkLocal to true to allow it'],
      ['http://10.1.2.3/photo.jpg', 'the media URL points at 10.1.2.3, a private address; set messages.media.allow.private to true to allow it'],
      [`${files.url}/moved`, 'the media URL points at 169.254.169.254, a link-local address; set messages.media.allow.linkLocal to true to allow it'],
      ['file:///etc/passwd', 'a media URL must be http or https, not file'],
    ]
    for (const [url, error] of cases) {
      const { status, envelope } = await sendMedia({ kind: 'image', url })
      assert.equal(status, 400, url)
      assert.equal((envelope as Failure).error, error)
    }
  })

  it('says what is wrong with the body', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ kind: 'image' }, 'give the file either as url or as base64, one of the two'],
      [{ kind: 'image', url: `${files.url}/x.png`, base64: 'AAAA' }, 'give the file either as url or as base64, one of the two'],
      [{ kind: 'image', base64: 'not base64 at all!' }, "base64 is not base64: give the file's bytes base64-encoded (a data: URL prefix is fine)"],
      [{ kind: 'voice', base64: PNG.toString('base64'), caption: 'hi' }, 'a voice has no caption in WhatsApp; leave caption out'],
      [{ kind: 'gif', base64: 'AAAA' }, 'kind must be one of: image, video, audio, voice, document, sticker'],
      [{ kind: 'image', url: `${files.url}/missing.png` }, 'the media URL answered 404, not the file; check the address'],
    ]
    for (const [body, error] of cases) {
      const { status, envelope } = await sendMedia(body)
      assert.equal(status, 400, JSON.stringify(body))
      assert.equal((envelope as Failure).error, error)
    }
  })
})
