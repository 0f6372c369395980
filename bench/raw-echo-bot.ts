// The chat baseline: the smallest correct Baileys bot a user would write by
// hand — answer `!ping` with `pong`, quoting it — plus the bare Koa routes of
// raw-koa-server.ts on the same socket. Its socket is configured like the
// runtime's wherever that changes the work done (browser, timeouts, logger
// level). It keeps its session the way Baileys' own example does, in
// useMultiFileAuthState behind makeCacheableSignalKeyStore, while the runtime
// has its LMDB store: the bench's store rows show what that part costs.
//
// It runs on the project's own install of Baileys, patched as the runtime's
// is, so that the two differ by what the runtime adds and nothing else. With
// BENCH_BAILEYS (the path of another copy's entry file) it runs on that copy
// instead: `--peers` gives it Baileys as published (bench/peers/baileys),
// which is what a bot written by hand installs. That copy trusts the emulator
// through BENCH_TRUST_ROOT, since the trust preload reaches only the project's copy.
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import type * as Baileys from '@whiskeysockets/baileys'
import type { WASocket } from '@whiskeysockets/baileys'
import { pino } from 'pino'
import { report, serveBench } from './bot-ipc.js'
import { serveRawGroups } from './raw-koa-server.js'

const elsewhere = process.env.BENCH_BAILEYS
const baileys = (await (elsewhere ? import(pathToFileURL(elsewhere).href) : import('@whiskeysockets/baileys'))) as typeof Baileys
const { default: makeWASocket, Browsers, DisconnectReason, makeCacheableSignalKeyStore, useMultiFileAuthState, WA_CERT_DETAILS } = baileys
if (elsewhere) {
  const root = Buffer.from(process.env.BENCH_TRUST_ROOT ?? '', 'hex')
  if (root.length !== WA_CERT_DETAILS.PUBLIC_KEY.length) throw new Error('with BENCH_BAILEYS, BENCH_TRUST_ROOT must hold the emulator root public key, in hex')
  root.copy(WA_CERT_DETAILS.PUBLIC_KEY)
}

const authDir = path.resolve(process.env.DATA_DIR ?? 'data', 'auth')
const wsUrl = process.env.WA_WS_URL
const logger = pino({ level: 'warn' })
let sock: WASocket | undefined
let open = false
let stopping = false

async function connect(): Promise<void> {
  const { state, saveCreds } = await useMultiFileAuthState(authDir)
  const current = makeWASocket({
    auth: { creds: state.creds, keys: makeCacheableSignalKeyStore(state.keys, logger) },
    logger,
    browser: Browsers.ubuntu('raw-echo-bot'),
    ...(wsUrl ? { waWebSocketUrl: wsUrl } : {}),
    defaultQueryTimeoutMs: 20_000,
    connectTimeoutMs: 20_000,
    markOnlineOnConnect: false,
  })
  sock = current
  current.ev.on('creds.update', () => void saveCreds())
  current.ev.on('connection.update', ({ connection, qr, lastDisconnect }) => {
    if (qr) report({ type: 'qr', qr })
    if (connection === 'open') {
      open = true
      report({ type: 'open' })
    }
    if (connection === 'close') {
      open = false
      const code = (lastDisconnect?.error as { output?: { statusCode?: number } } | undefined)?.output?.statusCode
      if (!stopping && code !== DisconnectReason.loggedOut) connect().catch((error: unknown) => report({ type: 'failed', error: String(error) }))
    }
  })
  current.ev.on('messages.upsert', ({ messages, type }) => {
    if (type !== 'notify') return
    for (const message of messages) {
      const text = message.message?.conversation ?? message.message?.extendedTextMessage?.text
      const chat = message.key.remoteJid
      if (message.key.fromMe || !chat || text?.trim() !== '!ping') continue
      current.sendMessage(chat, { text: 'pong' }, { quoted: message }).catch((error: unknown) => logger.error({ err: error }, 'could not reply'))
    }
  })
}

async function main(): Promise<void> {
  const { server, url } = await serveRawGroups(() => (open ? sock : undefined), Number(process.env.PORT ?? 7002), process.env.HOST ?? '127.0.0.1')
  serveBench(async () => {
    stopping = true
    server.close()
    await sock?.end(undefined)
  })
  await connect()
  report({ type: 'http-ready', url })
}

main().catch((error: unknown) => {
  report({ type: 'failed', error: String(error) })
  process.exit(1)
})
