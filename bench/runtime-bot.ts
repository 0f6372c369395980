// The runtime as `npm start` runs it (config from files and the environment,
// built-in plugins, default logging), reporting to the bench over IPC; on the
// auth store BENCH_AUTH_STORE names (see bench-auth-store.ts).
import { createRuntime, type Runtime } from '../core/runtime.js'
import { authStoreKind, benchAuthStore } from './bench-auth-store.js'
import { report, serveBench } from './bot-ipc.js'

const authStore = benchAuthStore(authStoreKind(process.env.BENCH_AUTH_STORE), process.env.DATA_DIR ?? 'data', () => runtime)
// The pacing of group calls and of sends is a protection against WhatsApp's rate
// limits and bans, not overhead: it is opened wide so the comparison with the raw
// bot measures the runtime (the pacer still runs for every send).
const runtime: Runtime = createRuntime({
  config: {
    whatsapp: { groupCalls: { burst: 1000, perSecond: 1000, maxWaitMs: 600000, pauseAfterLimitSeconds: 0 } },
    messages: { pacing: { perSecond: 1000, burst: 1000, perChatPerSecond: 1000, perChatBurst: 1000, maxWaitSeconds: 600, typing: false, typingMaxMs: 0 } },
  },
  ...(authStore ? { authStore } : {}),
})
runtime.whatsapp.onState((state) => {
  if (state === 'pairing' && runtime.whatsapp.qr) report({ type: 'qr', qr: runtime.whatsapp.qr })
  if (state === 'open') report({ type: 'open' })
})
serveBench(() => runtime.stop())

runtime.start().then(
  () => report({ type: 'http-ready', url: runtime.url }),
  (error: unknown) => {
    report({ type: 'failed', error: String(error) })
    process.exit(1)
  },
)
