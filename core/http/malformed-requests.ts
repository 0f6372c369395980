import { randomUUID } from 'node:crypto'
import { maxHeaderSize, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { Duplex } from 'node:stream'
import { failure } from '../envelope.js'
import type { Logger } from '../logger.js'

/** What was wrong, by the parser's error code, for whoever sent it. */
function refusalOf(error: NodeJS.ErrnoException, maxHeaderBytes: number): { status: number; reason: string } {
  switch (error.code) {
    case 'HPE_HEADER_OVERFLOW':
      return { status: 431, reason: `The request headers are larger than ${Math.round(maxHeaderBytes / 1024)} KB` }
    case 'ERR_HTTP_REQUEST_TIMEOUT':
    case 'ERR_HTTP_HEADERS_TIMEOUT':
      return { status: 408, reason: 'The request did not arrive in time' }
    case 'HPE_INVALID_METHOD':
      return { status: 400, reason: 'The request method is not one HTTP knows; use GET, POST, PUT, PATCH, DELETE or OPTIONS' }
    case 'HPE_INVALID_HEADER_TOKEN':
    case 'HPE_LF_EXPECTED':
    case 'HPE_CR_EXPECTED':
      return { status: 400, reason: 'A request header is malformed (a bad character in its name or value)' }
    case 'HPE_UNEXPECTED_CONTENT_LENGTH':
    case 'HPE_INVALID_CONTENT_LENGTH':
      return { status: 400, reason: 'The request has a malformed, repeated or conflicting Content-Length, or one beside Transfer-Encoding' }
    case 'HPE_INVALID_TRANSFER_ENCODING':
    case 'HPE_INVALID_CHUNK_SIZE':
      return { status: 400, reason: 'The request has a Transfer-Encoding or chunked body that is not valid' }
    default:
      return { status: 400, reason: 'The request is not valid HTTP/1.1' }
  }
}

function envelopeResponse(status: number, reason: string, requestId: string): string {
  const body = JSON.stringify(failure(status, reason))
  const phrase = failure(status, reason).message
  return [
    `HTTP/1.1 ${status} ${phrase}`,
    'Content-Type: application/json; charset=utf-8',
    `Content-Length: ${Buffer.byteLength(body)}`,
    `X-Request-Id: ${requestId}`,
    'Connection: close',
    '',
    body,
  ].join('\r\n')
}

/**
 * Requests Node's parser refuses (bad methods, bad header bytes, conflicting
 * lengths, oversized headers) and `Expect`s other than 100-continue never reach
 * Koa; Node would answer them with a bare status line. They get an envelope too.
 */
export function answerMalformedRequests(server: Server, logger: Logger): void {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    const inFlight = (socket as Duplex & { _httpMessage?: ServerResponse })._httpMessage
    if (error.code === 'ECONNRESET' || !socket.writable || inFlight?.headersSent) {
      socket.destroy()
      return
    }
    const { status, reason } = refusalOf(error, maxHeaderSize)
    const requestId = randomUUID()
    logger.info({ requestId, status, code: error.code }, 'malformed http request')
    socket.end(envelopeResponse(status, reason, requestId))
  })
  server.on('checkExpectation', (req: IncomingMessage, res: ServerResponse) => {
    const requestId = randomUUID()
    const expectation = (req.headers.expect ?? '').replace(/[^\x20-\x7e]/g, '').slice(0, 100)
    const body = JSON.stringify(failure(417, `Expect: ${expectation} is not supported; only 100-continue is`))
    logger.info({ requestId, status: 417, method: req.method, path: req.url }, 'unmet http expectation')
    res.writeHead(417, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(body), 'X-Request-Id': requestId, Connection: 'close' })
    res.end(body)
  })
}
