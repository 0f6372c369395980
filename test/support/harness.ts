import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { pino } from 'pino'
import { captureStream } from './capture.js'
import { createRuntime, type Envelope, type IncomingMessage, type Logger, type PluginDefinition, type Runtime } from '../../core/index.js'
import type { ConfigInput } from '../../core/config.js'
import { FakeWhatsApp } from './fake-whatsapp.js'

export const API_KEY = 'test-key-0123456789abcdef'
export const OWNER = '15550001111@s.whatsapp.net'

export interface Harness {
  runtime: Runtime
  /** The default session's connection. */
  whatsapp: FakeWhatsApp
  /** A session's connection, once the runtime has that session. */
  session(id: string): FakeWhatsApp
  url: string
  dataDir: string
  /** What the runtime wrote to its terminal (the generated key, the QR). */
  terminal: () => string
  request(method: string, path: string, options?: { body?: unknown; raw?: string; headers?: Record<string, string>; auth?: string | null }): Promise<{ status: number; headers: Headers; envelope: Envelope }>
  /** Feeds a chat message in (to `options.session`, default `default`) and returns the replies that session sent for it. */
  say(text: string, options?: Partial<IncomingMessage>): Promise<string[]>
  close(): Promise<void>
}

export interface HarnessOptions {
  config?: ConfigInput
  plugins?: PluginDefinition[]
  builtinPlugins?: boolean
  env?: Record<string, string>
  /** Default: a silent logger. */
  logger?: Logger
  /** Keep state in this directory (and leave it in place on close), e.g. to start a runtime again on it. */
  dataDir?: string
  /** Where plugin paths and package names are resolved from. */
  cwd?: string
}

let counter = 0

/** A runtime on a real listening port (0: any free one), with the in-memory WhatsApp double. */
export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const dataDir = options.dataDir ?? mkdtempSync(path.join(tmpdir(), 'waplug-test-'))
  const whatsapp = new FakeWhatsApp()
  const fakes = new Map<string, FakeWhatsApp>([['default', whatsapp]])
  const fakeFor = (session: string): FakeWhatsApp => {
    let fake = fakes.get(session)
    if (!fake) {
      // Each session its own number, as WhatsApp would have it.
      const n = fakes.size + 1
      fake = new FakeWhatsApp({ jid: `1555000${String(n).padStart(4, '0')}@s.whatsapp.net`, lid: `90000${n}@lid` }, 120363000000000001n + BigInt(n) * 1_000_000n)
      fakes.set(session, fake)
    }
    return fake
  }
  const { stream: terminal, text: written } = captureStream()
  const config: ConfigInput = {
    ...options.config,
    http: { port: 0, host: '127.0.0.1', apiKeys: [API_KEY], ...options.config?.http },
    dataDir,
    owners: options.config?.owners ?? [OWNER],
  }
  const runtime = createRuntime({
    config,
    env: options.env ?? {},
    logger: options.logger ?? pino({ level: 'silent' }),
    whatsapp: (_config, _logger, session) => fakeFor(session),
    terminal,
    ...(options.plugins ? { plugins: options.plugins } : {}),
    ...(options.builtinPlugins === false ? { builtinPlugins: false } : {}),
    ...(options.cwd ? { cwd: options.cwd } : {}),
  })
  await runtime.start()
  const url = runtime.url

  return {
    runtime,
    whatsapp,
    session(id) {
      const fake = fakes.get(id)
      if (!fake) throw new Error(`the runtime has no session '${id}'`)
      return fake
    },
    url,
    dataDir,
    terminal: written,
    async request(method, route, request = {}) {
      const headers: Record<string, string> = { ...request.headers }
      if (request.auth !== null) headers.authorization ??= request.auth ?? API_KEY
      let body: string | undefined
      if (request.raw !== undefined) body = request.raw
      else if (request.body !== undefined) {
        body = JSON.stringify(request.body)
        headers['content-type'] ??= 'application/json'
      }
      const response = await fetch(`${url}${route}`, { method, headers, ...(body === undefined ? {} : { body }) })
      const text = await response.text()
      return { status: response.status, headers: response.headers, envelope: JSON.parse(text) as Envelope }
    },
    async say(text, message = {}) {
      const target = fakes.get(message.session ?? 'default') ?? whatsapp
      const before = target.sent.length
      const chat = message.chat ?? message.sender ?? OWNER
      const incoming: IncomingMessage = {
        id: `MSG${++counter}`,
        chat,
        sender: OWNER,
        fromMe: false,
        text,
        mentions: [],
        timestamp: Math.floor(Date.now() / 1000),
        isGroup: chat.endsWith('@g.us'),
        backlog: false,
        raw: {},
        ...message,
        kind: message.kind ?? 'text',
      }
      target.emit(incoming)
      await runtime.idle()
      return target.sent.slice(before).map((s) => s.text)
    },
    async close() {
      await runtime.stop()
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true })
    },
  }
}
