// The peer row of `npm run bench -- --peers`: a BuilderBot bot as its own
// documentation writes one (a keyword flow, the in-memory database, the
// Baileys provider and its HTTP server), answering `!ping` with `pong`.
// The bench starts it in a data dir of its own as the working directory,
// where BuilderBot keeps its session files (`bot_sessions/`) and its logs.
//
// Plain JavaScript, run by plain node from this folder's own node_modules:
// the root project neither installs nor type-checks BuilderBot.
import { WA_CERT_DETAILS } from 'baileys'
import { addKeyword, createBot, createFlow, createProvider, MemoryDB } from '@builderbot/bot'
import { BaileysProvider } from '@builderbot/provider-baileys'
import { report, serveBench } from '../../.bots/bench/bot-ipc.js'

// The emulator's test root, in place of WhatsApp's, in this process's copy of
// Baileys (the bench passes its public key; see emulator/trust.ts for the runtime's).
const root = Buffer.from(process.env.BENCH_TRUST_ROOT ?? '', 'hex')
if (root.length !== WA_CERT_DETAILS.PUBLIC_KEY.length) throw new Error('BENCH_TRUST_ROOT must hold the emulator root public key, in hex')
root.copy(WA_CERT_DETAILS.PUBLIC_KEY)

const ping = addKeyword('!ping').addAnswer('pong')

const provider = createProvider(BaileysProvider, {
  // Its provider hands these on to makeWASocket last, so they point it at the emulator.
  ...(process.env.WA_WS_URL ? { waWebSocketUrl: process.env.WA_WS_URL } : {}),
})
// BuilderBot 1.3.13 answers a chat at `remoteJid` with "@s.whatsapp.net" appended,
// which for a chat WhatsApp addresses by LID (as it now does 1:1 chats, and as
// the emulator does) is a jid that does not exist: the answer goes nowhere. Its
// users patch this by taking the phone-number jid Baileys gives beside it; so
// does the bench, before the provider sees the message.
const byPhone = (message) => {
  const { remoteJid, remoteJidAlt } = message.key ?? {}
  return remoteJid?.endsWith('@lid') && remoteJidAlt ? { ...message, key: { ...message.key, remoteJid: remoteJidAlt } } : message
}
const busEvents = provider.busEvents
provider.busEvents = () =>
  busEvents().map(({ event, func }) => (event === 'messages.upsert' ? { event, func: (update) => func({ ...update, messages: update.messages.map(byPhone) }) } : { event, func }))

provider.on('require_action', ({ payload }) => {
  if (payload?.qr) report({ type: 'qr', qr: payload.qr })
})
provider.on('ready', () => report({ type: 'open' }))

const { httpServer } = await createBot({ flow: createFlow([ping]), provider, database: new MemoryDB() })
httpServer(Number(process.env.PORT ?? 3008))

// Its HTTP server listens once the socket has been made; HTTP ready is then.
const server = await new Promise((resolve) => {
  const check = () => (provider.server?.server?.listening ? resolve(provider.server.server) : setTimeout(check, 5))
  check()
})
// It listens on every address; the bench reaches it at loopback.
report({ type: 'http-ready', url: `http://127.0.0.1:${server.address().port}` })

serveBench(async () => {
  server.close()
  provider.vendor?.end(undefined)
})
