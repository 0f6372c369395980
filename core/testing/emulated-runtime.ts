// One runtime wired to an emulator: the configuration every test bot (and the
// one-off pairing) shares, in a temporary folder of its own.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { Writable } from 'node:stream'
import type { ConfigInput } from '../config.js'
import type { Logger } from '../logger.js'
import type { PluginDefinition } from '../plugins/plugin.js'
import { createRuntime, type Runtime } from '../runtime.js'
import type { ConnectionState } from '../whatsapp/types.js'

export const KIT_API_KEY = 'waplug-testing-kit-key'

export interface RuntimeFolder {
  root: string
  dataDir: string
  configDir: string
  remove(): void
}

/**
 * A temporary folder holding the bot's data and an empty configuration
 * directory, so that only waplug's defaults apply: the author's
 * `config/local.json` does not change what a test does.
 */
export function runtimeFolder(prefix: string): RuntimeFolder {
  const root = mkdtempSync(path.join(tmpdir(), prefix))
  const configDir = path.join(root, 'config')
  mkdirSync(configDir)
  return {
    root,
    dataDir: path.join(root, 'data'),
    configDir,
    // Baileys' key store may still be flushing a file after its socket ended.
    remove: () => rmSync(root, { recursive: true, force: true, maxRetries: 20, retryDelay: 50 }),
  }
}

export interface EmulatedRuntimeOptions {
  folder: RuntimeFolder
  wsUrl: string
  logger: Logger
  config?: ConfigInput
  plugins?: PluginDefinition[]
  builtinPlugins?: boolean
}

export function createEmulatedRuntime(options: EmulatedRuntimeOptions): Runtime {
  const { config = {}, folder } = options
  return createRuntime({
    env: {},
    configDir: folder.configDir,
    logger: options.logger,
    // The QR and the generated-key notice are for a person at a terminal; nobody reads them here.
    terminal: new Writable({ write: (_chunk, _encoding, done) => done() }),
    plugins: options.plugins ?? [],
    builtinPlugins: options.builtinPlugins ?? false,
    config: {
      ...config,
      http: { ...config.http, port: 0, host: '127.0.0.1', apiKeys: [KIT_API_KEY, ...(config.http?.apiKeys ?? [])] },
      dataDir: folder.dataDir,
      whatsapp: { queryTimeoutMs: 5000, connectTimeoutMs: 5000, ...config.whatsapp, wsUrl: options.wsUrl, pairingPhone: null, printQr: false },
    },
  })
}

/** Resolves when the runtime's WhatsApp connection reaches `state`. */
export function waitForState(runtime: Runtime, state: ConnectionState, timeoutMs: number): Promise<void> {
  const { whatsapp } = runtime
  if (whatsapp.state === state) return Promise.resolve()
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off()
      reject(new Error(`WhatsApp did not become ${state} within ${timeoutMs} ms (it is ${whatsapp.state})`))
    }, timeoutMs)
    const off = whatsapp.onState((now) => {
      if (now !== state) return
      clearTimeout(timer)
      off()
      resolve()
    })
  })
}
