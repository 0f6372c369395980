// The runtime as `npm start` runs it (config from files and the environment,
// built-in plugins, default logging), reporting to the bench over IPC; on the
// auth store BENCH_AUTH_STORE names (see bench-auth-store.ts).
//
// With BENCH_HTTP=bare the bench is handed, instead of the runtime's API, the
// raw baseline's own Koa handlers serving this process's socket: the runtime's
// process (its plugins, events, caches and heap) without its request path. Set
// beside the runtime and the raw bot, it splits the HTTP overhead into what
// the process costs and what the path costs (bench/http-overhead.ts).
import { createRuntime, type Runtime } from '../core/runtime.js'
import { authStoreKind, benchAuthStore } from './bench-auth-store.js'
import { report, serveBench } from './bot-ipc.js'
import { serveRawGroups } from './raw-koa-server.js'

const authStore = benchAuthStore(authStoreKind(process.env.BENCH_AUTH_STORE), process.env.DATA_DIR ?? 'data', () => runtime)
// The pacing of group calls and of sends is a protection against WhatsApp's rate
// limits and bans, not overhead: it is opened wider than the bench can drive, so
// the comparison with the raw bot measures the runtime and not the pacer (which
// still runs for every call). At 1,000 group calls a second it held the runtime
// to 1,000 a second plus its burst while the raw bot answered 2,400.
const runtime: Runtime = createRuntime({
  config: {
    whatsapp: { groupCalls: { burst: 1000, perSecond: 1_000_000, maxWaitMs: 600000, pauseAfterLimitSeconds: 0 } },
    messages: { pacing: { perSecond: 1000, burst: 1000, perChatPerSecond: 1000, perChatBurst: 1000, maxWaitSeconds: 600, typing: false, typingMaxMs: 0 } },
  },
  ...(authStore ? { authStore } : {}),
})
runtime.whatsapp.onState((state) => {
  if (state === 'pairing' && runtime.whatsapp.qr) report({ type: 'qr', qr: runtime.whatsapp.qr })
  if (state === 'open') report({ type: 'open' })
})
serveBench(() => runtime.stop())

async function start(): Promise<string> {
  await runtime.start()
  if (process.env.BENCH_HTTP !== 'bare') return runtime.url
  return (await serveRawGroups(() => runtime.whatsapp.socket, 0, process.env.HOST ?? '127.0.0.1')).url
}

start().then(
  (url) => report({ type: 'http-ready', url }),
  (error: unknown) => {
    report({ type: 'failed', error: String(error) })
    process.exit(1)
  },
)
