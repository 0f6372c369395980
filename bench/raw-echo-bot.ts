// The chat baseline: the smallest correct Baileys bot a user would write by
// hand — answer `!ping` with `pong`, quoting it — plus the bare Koa routes of
// raw-koa-server.ts on the same socket. Its socket is configured like the
// runtime's wherever that changes the work done (browser, timeouts, logger
// level). It keeps its session the way Baileys' own example does, in
// useMultiFileAuthState behind makeCacheableSignalKeyStore, while the runtime
// has its LMDB store: the bench's store rows show what that part costs.
import path from 'node:path'
import makeWASocket, { Browsers, DisconnectReason, makeCacheableSignalKeyStore, useMultiFileAuthState, type WASocket } from '@whiskeysockets/baileys'
import { pino } from 'pino'
import { report, serveBench } from './bot-ipc.js'
import { serveRawGroups } from './raw-koa-server.js'

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
