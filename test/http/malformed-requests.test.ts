import assert from 'node:assert/strict'
import { connect } from 'node:net'
import { after, before, describe, it } from 'node:test'
import { API_KEY, startHarness, type Harness } from '../support/harness.js'

/** Sends bytes as they are, past any HTTP client's checks, and reads until the server closes. */
function raw(url: string, request: string | Buffer): Promise<{ status: number; headers: Map<string, string>; body: string }> {
  const { hostname, port } = new URL(url)
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port) })
    const chunks: Buffer[] = []
    socket.setTimeout(5000, () => socket.destroy(new Error('the server neither answered nor closed')))
    socket.on('data', (chunk) => chunks.push(chunk))
    socket.on('error', reject)
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8')
      const [head = '', ...rest] = text.split('\r\n\r\n')
      const [statusLine = '', ...lines] = head.split('\r\n')
      const headers = new Map(lines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]))
      resolve({ status: Number(statusLine.split(' ')[1]), headers, body: rest.join('\r\n\r\n') })
    })
    socket.write(request)
  })
}

describe('requests Node’s HTTP parser refuses', () => {
  let h: Harness
  before(async () => {
    h = await startHarness()
  })
  after(() => h.close())

  const cases: [string, () => string, number, RegExp][] = [
    ['a method HTTP does not know', () => 'FROB /session HTTP/1.1\r\nHost: x\r\n\r\n', 400, /method/],
    ['a NUL in a header', () => `GET /session HTTP/1.1\r\nHost: x\r\nAuthorization: ${API_KEY}\r\nX-Bad: a\0b\r\n\r\n`, 400, /header/i],
    ['a header name with a space', () => 'GET /session HTTP/1.1\r\nHost: x\r\nBad Name: 1\r\n\r\n', 400, /header/i],
    ['two different Content-Lengths', () => 'POST /groups HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}', 400, /Content-Length/],
    ['Content-Length with Transfer-Encoding', () => 'POST /groups HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n', 400, /Content-Length|Transfer-Encoding/],
    ['a Transfer-Encoding that is not chunked last', () => 'POST /groups HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, gzip\r\n\r\n0\r\n\r\n', 400, /Transfer-Encoding/],
    ['headers larger than the limit', () => `GET /session HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`, 431, /headers/],
    ['a request line that is not HTTP', () => 'hello there\r\n\r\n', 400, /HTTP/],
  ]
  for (const [what, request, status, error] of cases) {
    it(`answers ${status} in an envelope for ${what}`, async () => {
      const answer = await raw(h.url, request())
      assert.equal(answer.status, status, answer.body)
      assert.match(answer.headers.get('content-type') ?? '', /^application\/json/)
      assert.equal(answer.headers.get('connection'), 'close')
      assert.equal(Number(answer.headers.get('content-length')), Buffer.byteLength(answer.body))
      const envelope = JSON.parse(answer.body) as { status: boolean; code: number; message: string; error: string }
      assert.equal(envelope.status, false)
      assert.equal(envelope.code, status)
      assert.match(envelope.error, error)
    })
  }

  it('answers 417 in an envelope for an Expect it cannot meet', async () => {
    const answer = await raw(h.url, `GET /session HTTP/1.1\r\nHost: x\r\nAuthorization: ${API_KEY}\r\nExpect: something-odd\r\nConnection: close\r\n\r\n`)
    assert.equal(answer.status, 417)
    assert.match(answer.headers.get('content-type') ?? '', /^application\/json/)
    assert.deepEqual(JSON.parse(answer.body), { status: false, code: 417, message: 'Expectation failed', error: "Expect: something-odd is not supported; only 100-continue is" })
  })

  it('still serves good requests, and Expect: 100-continue', async () => {
    const answer = await raw(h.url, `GET /session HTTP/1.1\r\nHost: x\r\nAuthorization: ${API_KEY}\r\nConnection: close\r\n\r\n`)
    assert.equal(answer.status, 200)
    const body = '{"name":""}'
    const continued = await raw(
      h.url,
      `POST /groups HTTP/1.1\r\nHost: x\r\nAuthorization: ${API_KEY}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n${body}`,
    )
    assert.equal(continued.status, 100)
    assert.match(continued.body, /^HTTP\/1\.1 400 /)
  })
})
