import type { Emulator } from '../../emulator/index.js'
import type { Runtime } from '../runtime.js'
import type { TestSession } from './api.js'

/** Numbers of the sessions a test bot starts with besides `default`: 15550000002, …03, … */
const phoneFor = (index: number): string => `1555000${String(index + 2).padStart(4, '0')}`

/** Creates each session in the runtime and pairs it by QR with a number of its own, as an operator would. */
export async function pairSessions(runtime: Runtime, emulator: Emulator, ids: string[], timeoutMs: number): Promise<TestSession[]> {
  const paired: TestSession[] = []
  for (const [index, id] of ids.entries()) {
    const phone = phoneFor(index)
    const session = await runtime.sessions.create({ id })
    const qr = await until(() => (session.state === 'pairing' ? session.whatsapp.qr : undefined), `session '${id}' to show a QR`, timeoutMs)
    await emulator.scanQr(qr, { phone })
    await until(() => session.state === 'open' || undefined, `session '${id}' to open`, timeoutMs)
    // Contacts can only encrypt to a number once its keys are on the server.
    const { world } = emulator.host
    await until(() => {
      const account = world.botOf(phone)
      return account && world.preKeysOf(account) ? true : undefined
    }, `session '${id}' to upload its keys`, timeoutMs)
    paired.push({ id, phone, jid: `${phone}@s.whatsapp.net` })
  }
  return paired
}

async function until<T>(check: () => T | undefined, what: string, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = check()
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error(`waplug/testing waited ${timeoutMs} ms for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}
