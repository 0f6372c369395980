// The runtime as `npm start` runs it (config from files and the environment,
// built-in plugins, default logging), reporting to the bench over IPC.
import { createRuntime } from '../core/runtime.js'
import { report, serveBench } from './bot-ipc.js'

const runtime = createRuntime()
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
