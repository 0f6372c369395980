// The media host on 127.0.0.1 over HTTPS, as WhatsApp's mmg hosts: the client
// POSTs an encrypted blob to `/mms/<type>/<encSha256>?auth=<media_conn auth>&token=<encSha256>`
// and gets `{ url, direct_path }` back; a receiver GETs the direct path.
// The upload is refused unless the auth token is one media_conn handed out
// and not expired, and the body's SHA-256 is the one the path and token name.
import { createServer, type Server } from 'node:https'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { MEDIA_CERT, MEDIA_KEY } from './media-cert.js'
import { sha256, uploadToken } from './media-crypto.js'
import type { MediaStore } from './media-store.js'

/** Upload types the host takes (the `/mms/<type>` paths clients use). */
const UPLOAD_TYPES = new Set(['image', 'video', 'audio', 'document'])
export const MAX_UPLOAD_BYTES = 64 * 1024 * 1024

export async function startMediaServer(store: MediaStore, host: string, log: (line: string) => void): Promise<Server> {
  const server = createServer({ key: MEDIA_KEY, cert: MEDIA_CERT }, (req, res) => {
    handle(store, req, res).catch((err: unknown) => {
      log(`media host: ${(err as Error).message}`)
      if (!res.headersSent) reply(res, 500, { error: 'internal' })
    })
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, host, () => resolve())
  })
  const { port } = server.address() as AddressInfo
  store.hostname = `${host.includes(':') ? `[${host}]` : host}:${port}`
  return server
}

export async function stopMediaServer(server: Server): Promise<void> {
  server.closeAllConnections()
  await new Promise<void>((resolve) => server.close(() => resolve()))
}

async function handle(store: MediaStore, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'https://media.invalid')
  if (req.method === 'POST') return upload(store, url, req, res)
  if (req.method === 'GET' || req.method === 'HEAD') return download(store, url, req, res)
  refuse(store, res, 405, `method ${req.method} not allowed`)
}

async function upload(store: MediaStore, url: URL, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const [, mms, type, pathToken] = url.pathname.split('/')
  if (mms !== 'mms' || !type || !UPLOAD_TYPES.has(type) || !pathToken) {
    req.resume()
    return refuse(store, res, 404, `no upload path ${url.pathname}`)
  }
  const owner = store.authOwner(url.searchParams.get('auth') ?? '')
  if (!owner) {
    req.resume()
    return refuse(store, res, 401, 'auth token unknown or expired; ask media_conn again')
  }
  const body = await readBody(req)
  if (!body) return refuse(store, res, 413, `upload over ${MAX_UPLOAD_BYTES} bytes`)
  const actual = uploadToken(sha256(body))
  if (pathToken !== actual || url.searchParams.get('token') !== actual) {
    return refuse(store, res, 400, 'the body\'s SHA-256 is not the one the upload path and token name')
  }
  const stored = store.put(type, body, owner)
  reply(res, 200, { url: store.url(stored.directPath), direct_path: stored.directPath, handle: null, object_id: null })
}

function download(store: MediaStore, url: URL, req: IncomingMessage, res: ServerResponse): void {
  const stored = store.get(url.pathname)
  if (!stored) return refuse(store, res, 404, `no media at ${url.pathname}`)
  const range = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '')
  if (range) {
    const start = Number(range[1])
    const end = Math.min(range[2] ? Number(range[2]) : stored.enc.length - 1, stored.enc.length - 1)
    res.writeHead(206, {
      'content-type': 'application/octet-stream',
      'content-length': String(end - start + 1),
      'content-range': `bytes ${start}-${end}/${stored.enc.length}`,
    })
    res.end(req.method === 'HEAD' ? undefined : stored.enc.subarray(start, end + 1))
    return
  }
  res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(stored.enc.length) })
  res.end(req.method === 'HEAD' ? undefined : stored.enc)
}

async function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    size += (chunk as Buffer).length
    if (size > MAX_UPLOAD_BYTES) return undefined
    chunks.push(chunk as Buffer)
  }
  return Buffer.concat(chunks)
}

function refuse(store: MediaStore, res: ServerResponse, status: number, reason: string): void {
  store.refuse(status, reason)
  reply(res, status, { error: reason })
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body))
}
