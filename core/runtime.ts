import { existsSync } from 'node:fs'
import { access, constants, mkdir, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { Invoker } from './actions/invoke.js'
import { ActionRegistry } from './actions/registry.js'
import { ChatTransport } from './chat/chat-transport.js'
import { loadConfig, type Config, type ConfigInput } from './config.js'
import { createContainer, resolve, type DependencyContainer } from './container.js'
import { StartupError } from './errors.js'
import { EventBus } from './events/event-bus.js'
import { ensureApiKey } from './http/api-keys.js'
import { HttpServer } from './http/server.js'
import { Webhooks } from './webhooks/webhooks.js'
import { createLogger, type Logger } from './logger.js'
import { Metrics } from './metrics/metrics.js'
import { watchSessions } from './metrics/session-metrics.js'
import { PluginHost, type PluginStatus } from './plugins/host.js'
import type { AuthStore } from './storage/auth-store.js'
import { lockDataDir, type DataDirLock } from './storage/data-dir-lock.js'
import { importMultiFileAuth } from './storage/multi-file-import.js'
import { Storage } from './storage/storage.js'
import { builtinPluginSources, loadPlugin, type LoadedPlugin } from './plugins/loader.js'
import type { PluginDefinition } from './plugins/plugin.js'
import { Tokens } from './tokens.js'
import { BaileysWhatsApp } from './whatsapp/baileys-whatsapp.js'
import type { WhatsApp } from './whatsapp/types.js'
import { SessionManager } from './sessions/manager.js'
import { DEFAULT_SESSION } from './sessions/session-id.js'
import type { WhatsAppClient } from './sessions/whatsapp-client.js'

export interface RuntimeOptions {
  /** Values that win over config files and the environment. */
  config?: ConfigInput
  /** Where local.json lives; default ./config. The defaults are waplug's own config/default.json. */
  configDir?: string
  /** Default: process.env. */
  env?: Record<string, string | undefined>
  /** Plugins given as code, loaded after the folders and packages. */
  plugins?: PluginDefinition[]
  /** Where plugin paths (`./my-plugins/hello`) and package names are resolved from; default the working directory. */
  cwd?: string
  /** Load the plugins under plugins/ (default true), or those under another directory. */
  builtinPlugins?: boolean | string
  /** Where WhatsApp credentials and keys live; default the LMDB store under dataDir. */
  authStore?: AuthStore
  /** Start unpaired, whatever is stored: the sandbox pairs a new emulated phone each time. */
  forgetSession?: boolean
  /** Replaces each session's Baileys connection, e.g. with a test double. */
  whatsapp?: (config: Config, logger: Logger, session: string) => WhatsApp
  logger?: Logger
  /** Where the generated API key is announced and the QR drawn; default stdout. */
  terminal?: NodeJS.WritableStream
}

export interface Runtime {
  readonly config: Config
  readonly container: DependencyContainer
  readonly logger: Logger
  /** Every WhatsApp session: `default`, and those created over HTTP. */
  readonly sessions: SessionManager
  /** The `default` session's connection. */
  readonly whatsapp: WhatsApp
  /** The HTTP base URL once started, e.g. http://127.0.0.1:7001. */
  readonly url: string
  plugins(): PluginStatus[]
  /** Resolves when every chat command and plugin event handler started so far has finished. */
  idle(): Promise<void>
  start(): Promise<void>
  stop(): Promise<void>
}

/**
 * Wires one runtime: config, logger, a container of its own, the WhatsApp
 * connection, plugins, HTTP and chat. Nothing is shared between two runtimes.
 */
export function createRuntime(options: RuntimeOptions = {}): Runtime {
  const config = loadConfig({
    ...(options.configDir ? { dir: options.configDir } : {}),
    env: options.env ?? process.env,
    ...(options.config ? { overrides: options.config } : {}),
  })
  const logger = options.logger ?? createLogger(config)
  const terminal = options.terminal ?? process.stdout
  const container = createContainer()
  const metrics = new Metrics()
  const storage = new Storage(path.resolve(config.dataDir, 'store'))
  const authStore = options.authStore ?? storage.authStore()
  const sessions = new SessionManager({
    config,
    logger,
    auth: authStore,
    records: () => storage.forRuntime('sessions'),
    connect: ({ id, pairingPhone, logger: sessionLogger }) =>
      options.whatsapp
        ? options.whatsapp(config, sessionLogger, id)
        : new BaileysWhatsApp({
            config,
            logger: sessionLogger,
            auth: authStore,
            session: id,
            pairingPhone,
            metrics,
            // A person at the terminal pairs the default number; other sessions pair over HTTP.
            ...(id === DEFAULT_SESSION ? { terminal } : {}),
          }),
  })

  container.register(Tokens.Config, { useValue: config })
  container.register(Tokens.Logger, { useValue: logger })
  container.register(Tokens.Sessions, { useValue: sessions })
  container.register(Tokens.WhatsApp, { useFactory: (): WhatsAppClient => sessions.default.client })
  container.register(Tokens.StartedAt, { useValue: Date.now() })
  container.register(Tokens.Storage, { useValue: storage })
  container.register(Tokens.Metrics, { useValue: metrics })
  for (const [key, service] of [
    [Tokens.Actions, ActionRegistry],
    [Tokens.Invoker, Invoker],
    [Tokens.Plugins, PluginHost],
    [Tokens.Http, HttpServer],
    [Tokens.Chat, ChatTransport],
    [Tokens.Events, EventBus],
    [Tokens.Webhooks, Webhooks],
  ] as const) {
    container.registerSingleton(key, service as new (...args: never[]) => unknown)
  }

  let started = false
  let unwatchSessions: (() => void) | undefined
  let lock: DataDirLock | undefined
  let announce: ((url: string) => void) | undefined
  const announceOnce = (url: string) => {
    announce?.(url)
    announce = undefined
  }
  const runtime: Runtime = {
    config,
    container,
    logger,
    sessions,
    get whatsapp() {
      return sessions.default.whatsapp
    },
    get url() {
      return resolve(container, Tokens.Http).url
    },
    plugins: () => resolve(container, Tokens.Plugins).status(),
    async idle() {
      // Chat first: the router hands non-commands to the event bus while it routes them.
      await resolve(container, Tokens.Chat).idle()
      await resolve(container, Tokens.Events).idle()
      await resolve(container, Tokens.Webhooks).feed.idle()
    },

    async start() {
      if (started) return
      started = true
      await prepareDataDir(config.dataDir)
      lock = lockDataDir(config.dataDir)
      const host = resolve(container, Tokens.Plugins)
      try {
        announce = await ensureKey(config, logger, terminal)
        await prepareSession(authStore, config, logger, options.forgetSession ?? false)
        await sessions.load()
        host.add(await loadAll(config, options))
        await host.setupAll()
        await host.startAll()
        logger.info(pluginsLine(host.status()))
        // Before the sessions connect, so their first states are events too.
        await resolve(container, Tokens.Webhooks).start()
      } catch (error) {
        // The key was saved: show it even if the start fails, or it would never be shown.
        announceOnce(`http://localhost:${config.http.port}`)
        // A start error leaves nothing open behind it.
        await storage.close()
        lock.release()
        started = false
        throw error
      }

      const http = resolve(container, Tokens.Http)
      try {
        await http.listen()
      } catch (error) {
        announceOnce(`http://localhost:${config.http.port}`)
        const code = (error as { code?: string }).code
        if (code === 'EADDRINUSE') throw new StartupError(`Port ${config.http.port} is already in use; stop the other program or set PORT to a free port`)
        if (code === 'EACCES') throw new StartupError(`Not allowed to listen on port ${config.http.port}; choose a port above 1023 with PORT`)
        throw error
      }
      const bound = http.bound
      logger.info({ url: http.url, listen: bound }, `HTTP API listening on ${bound}${/^(0\.0\.0\.0|\[::\]):/.test(bound) ? ' (every address of this machine)' : ''}, reachable at ${http.url}`)
      announceOnce(http.url)
      resolve(container, Tokens.Events).start()
      resolve(container, Tokens.Chat).start()
      unwatchSessions = watchSessions(metrics, sessions)
      await sessions.startAll()
    },

    async stop() {
      if (!started) return
      started = false
      await resolve(container, Tokens.Chat).stop()
      await resolve(container, Tokens.Events).stop()
      await resolve(container, Tokens.Http).close()
      await resolve(container, Tokens.Plugins).stopAll()
      await resolve(container, Tokens.Webhooks).stop()
      // WhatsApp before the storage: its last key and credential writes go there.
      await sessions.stopAll()
      unwatchSessions?.()
      await storage.close()
      lock?.release()
    },
  }
  return runtime
}

/** An earlier version's session folder is taken in once; the sandbox starts afresh. */
async function prepareSession(authStore: AuthStore, config: Config, logger: Logger, forget: boolean): Promise<void> {
  if (forget) return authStore.clear(DEFAULT_SESSION)
  await importMultiFileAuth(path.resolve(config.dataDir, 'auth'), authStore, DEFAULT_SESSION, logger)
}

async function loadAll(config: Config, options: RuntimeOptions): Promise<LoadedPlugin[]> {
  const builtin = options.builtinPlugins ?? true
  const folders = builtin === false ? [] : builtinPluginSources(typeof builtin === 'string' ? builtin : undefined)
  const loaded = await Promise.all([...folders, ...config.plugins].map((source) => loadPlugin(source, options.cwd)))
  return [...loaded, ...(options.plugins ?? []).map((plugin) => ({ source: `plugin '${plugin.name}' given in code`, plugin }))]
}

/** One line for the start: which plugins run, and which failed (their reasons are logged above, and in /health). */
function pluginsLine(plugins: PluginStatus[]): string {
  const running = plugins.filter((p) => p.state === 'running').map((p) => p.name)
  const failed = plugins.filter((p) => p.state === 'failed').map((p) => p.name)
  return `plugins running: ${running.join(', ') || 'none'}${failed.length ? `; failed: ${failed.join(', ')}` : ''}`
}

/** Created and writable, or a one-line start error: a data dir waplug cannot write would fail later, and less clearly. */
async function prepareDataDir(dir: string): Promise<void> {
  try {
    await makeDirs(path.resolve(dir))
    await access(dir, constants.W_OK)
    const probe = path.join(dir, `.write-test-${process.pid}`)
    await writeFile(probe, '')
    await rm(probe, { force: true })
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException
    throw new StartupError(`Cannot use the data directory ${path.resolve(dir)}: ${code ?? message}; set DATA_DIR to a directory waplug may create and write`)
  }
}

/**
 * mkdir -p one level at a time: Node's recursive mkdir never returns for a path
 * under /proc, where mkdir fails with ENOENT even though the parent exists.
 */
async function makeDirs(dir: string): Promise<void> {
  try {
    await mkdir(dir)
  } catch (error) {
    const { code } = error as NodeJS.ErrnoException
    if (code === 'EEXIST') return
    const parent = path.dirname(dir)
    if (code !== 'ENOENT' || parent === dir || existsSync(parent)) throw error
    await makeDirs(parent)
    await mkdir(dir)
  }
}

/**
 * With neither keys nor a JWT secret configured, generate a key once; the
 * returned function tells the person how to use it, once the HTTP API's
 * address is known.
 */
async function ensureKey(config: Config, logger: Logger, terminal: NodeJS.WritableStream): Promise<((url: string) => void) | undefined> {
  if (config.http.apiKeys.length > 0 || config.http.jwtSecret) return undefined
  const { key, file, created } = await ensureApiKey(config.dataDir)
  config.http.apiKeys = [key]
  if (!created) {
    logger.info(`Using the API key stored in ${file}`)
    return undefined
  }
  return (url) => announceApiKey(key, file, url, terminal)
}

function announceApiKey(key: string, file: string, url: string, terminal: NodeJS.WritableStream): void {
  terminal.write(
    [
      '',
      'No API key was configured, so one was generated and saved in',
      `  ${file}`,
      'Send it in the Authorization header of every request:',
      `  curl -H "Authorization: ${key}" ${url}/session`,
      'It is shown only this once; set API_KEY to choose your own.',
      '',
    ].join('\n') + '\n',
  )
}
