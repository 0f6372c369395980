import type { ConnectionState, Runtime } from '../../core/index.js'

/** Resolves on the next change to `state`, even when the connection is in it now; subscribe before causing it. */
export function becomes(runtime: Runtime, state: ConnectionState, timeoutMs = 20_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off()
      reject(new Error(`WhatsApp did not become ${state} within ${timeoutMs} ms (it is ${runtime.whatsapp.state})`))
    }, timeoutMs)
    const off = runtime.whatsapp.onState((now) => {
      if (now !== state) return
      clearTimeout(timer)
      off()
      resolve()
    })
  })
}
