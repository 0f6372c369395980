import { mkdtempSync } from 'node:fs'
import { rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { pino, type Logger } from 'pino'
import './baileys-timers.js'
import { captureStream } from './capture.js'
import { becomes } from './connection-states.js'
import { createRuntime, type ConnectionState, type Envelope, type PluginDefinition, type Runtime } from '../../core/index.js'
import type { ConfigInput } from '../../core/config.js'
import type { AuthStore } from '../../core/storage/auth-store.js'
import { installEmulatorTrust, startEmulator, type Emulator } from '../../emulator/index.js'

installEmulatorTrust()


export const BOT_PHONE = '15550000001'
export const API_KEY = 'e2e-key-0123456789abcdef'

export interface EmulatedRuntime {
  emulator: Emulator
  runtime: Runtime
  dataDir: string
  terminal: () => string
  /** Sends the test's API key unless `headers` carries its own Authorization. */
  request(method: string, route: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; envelope: Envelope; headers: Headers }>
  waitForState(state: ConnectionState, timeoutMs?: number): Promise<void>
  /** A new runtime over the same data dir, like `npm start` again. */
  restart(): Promise<void>
  close(): Promise<void>
}

/** The real runtime, with the real Baileys client, talking to the emulator over a socket. */
export async function startEmulatedRuntime(
  options: { config?: ConfigInput; emulator?: Emulator; plugins?: PluginDefinition[]; dataDir?: string; authStore?: AuthStore; logger?: Logger } = {},
): Promise<EmulatedRuntime> {
  const emulator = options.emulator ?? (await startEmulator())
  const dataDir = options.dataDir ?? mkdtempSync(path.join(tmpdir(), 'waplug-e2e-'))
  const { stream: terminal, text: written } = captureStream()
  const make = () =>
    createRuntime({
      env: {},
      logger: options.logger ?? pino({ level: 'silent' }),
      terminal,
      ...(options.plugins ? { plugins: options.plugins } : {}),
      ...(options.authStore ? { authStore: options.authStore } : {}),
      config: {
        ...options.config,
        http: { ...options.config?.http, port: 0, host: '127.0.0.1', apiKeys: [API_KEY, ...(options.config?.http?.apiKeys ?? [])] },
        dataDir,
        whatsapp: { wsUrl: emulator.url, queryTimeoutMs: 3000, connectTimeoutMs: 5000, ...options.config?.whatsapp },
      },
    })
  let runtime = make()
  try {
    await runtime.start()
  } catch (error) {
    // A runtime that did not start must not leave its emulator holding the test process open.
    if (!options.emulator) await emulator.stop()
    throw error
  }

  const handle: EmulatedRuntime = {
    emulator,
    get runtime() {
      return runtime
    },
    dataDir,
    terminal: written,
    async request(method, route, body, headers = {}) {
      const response = await fetch(`${runtime.url}${route}`, {
        method,
        headers: { authorization: API_KEY, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      })
      return { status: response.status, envelope: (await response.json()) as Envelope, headers: response.headers }
    },
    waitForState(state, timeoutMs = 10_000) {
      return runtime.whatsapp.state === state ? Promise.resolve() : becomes(runtime, state, timeoutMs)
    },
    async restart() {
      await runtime.stop()
      runtime = make()
      await runtime.start()
    },
    async close() {
      await runtime.stop()
      if (!options.emulator) await emulator.stop()
      // Baileys' key store may still be flushing files after the socket ended; a
      // temporary folder left behind on a loaded machine is not a failed test.
      await rm(dataDir, { recursive: true, force: true, maxRetries: 40, retryDelay: 50 }).catch(() => undefined)
    },
  }
  return handle
}

/** Pairs the runtime by scanning the QR it shows, and waits until WhatsApp is open. */
export async function pair(e: EmulatedRuntime, phone = BOT_PHONE): Promise<void> {
  await e.waitForState('pairing')
  const qr = e.runtime.whatsapp.qr
  if (!qr) throw new Error('pairing without a QR')
  await e.emulator.scanQr(qr, { phone })
  await e.waitForState('open')
}

/** Polls until the check passes; for effects with no event to wait on, like terminal output. */
export async function until(check: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}
