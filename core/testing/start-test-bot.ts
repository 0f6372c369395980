import './baileys-timers.js'
import path from 'node:path'
import { installEmulatorTrust, startEmulator, type Emulator } from '../../emulator/index.js'
import { installSignal, type SignalLayer } from '../../emulator/signal/index.js'
import { BUILTIN_PLUGIN_DIR, builtinPluginSources, loadPlugin } from '../plugins/loader.js'
import type { PluginDefinition } from '../plugins/plugin.js'
import type { Runtime } from '../runtime.js'
import type { ContactOptions, GroupOptions, TestBot, TestBotOptions, TestContact, TestGroup, TestSession } from './api.js'
import { Conversation } from './conversation.js'
import { createEmulatedRuntime, KIT_API_KEY, runtimeFolder, waitForState, type RuntimeFolder } from './emulated-runtime.js'
import { groupHandle } from './group-handle.js'
import { httpRequest } from './http-request.js'
import { printLevel, testLogs, type TestLogs } from './logs.js'
import { BOT_PHONE, restorePairedSession } from './paired-session.js'
import { pairSessions } from './test-sessions.js'
import { contactHandle } from './contact-handle.js'

installEmulatorTrust()

const OWNER_PHONE = '15550001111'
const LOGIN_TIMEOUT_MS = 15_000

/** What `startTestBot` needs of node:test's test context `t`: a hook that runs after the test. */
export interface TestContextLike {
  after(fn: () => Promise<void>): void
}

/**
 * Starts the runtime with your plugins, logged in to an emulated WhatsApp
 * server on this machine, and resolves once contacts can write to it.
 * Pass node:test's context `t` and the bot is stopped after that test;
 * otherwise stop it yourself (`await bot.stop()`, `await using bot = …`).
 *
 *   it('greets', async (t) => {
 *     const bot = await startTestBot(t, { plugins: [welcome] })
 *     const alice = bot.contact('Alice')
 *     assert.deepEqual(await bot.say('!hello', { from: alice }), ['Hello Alice'])
 *   })
 *
 * Throws when a plugin fails to set up or start, with the plugin's reason.
 * To share one bot among a suite's tests, start it in `before` and stop it
 * in `after` (a suite's hooks get no test context to pass).
 */
export async function startTestBot(t: TestContextLike, options?: TestBotOptions): Promise<TestBot>
export async function startTestBot(options?: TestBotOptions): Promise<TestBot>
export async function startTestBot(first?: TestContextLike | TestBotOptions, second?: TestBotOptions): Promise<TestBot> {
  const context = first && typeof (first as TestContextLike).after === 'function' ? (first as TestContextLike) : undefined
  const options = (context ? second : (first as TestBotOptions | undefined)) ?? {}
  const bot = await launch(options)
  context?.after(() => bot.stop())
  return bot
}

async function launch(options: TestBotOptions): Promise<TestBot> {
  const timeoutMs = options.replyTimeoutMs ?? 5000
  const logs = testLogs(printLevel(options.log))
  const builtins = await builtinPlugins(options.builtins ?? ['help'])
  const emulator = await startEmulator({ log: (line) => logs.logger.trace({ component: 'emulator' }, line) })
  const signal = installSignal(emulator.host, { timeoutMs })
  const folder = runtimeFolder('waplug-test-')
  let runtime: Runtime | undefined
  let sessions: TestSession[]
  try {
    await restorePairedSession(emulator, folder.dataDir)
    const config = { ...options.config, owners: [OWNER_PHONE, ...(options.config?.owners ?? [])] }
    runtime = createEmulatedRuntime({ folder, wsUrl: emulator.url, logger: logs.logger, config, plugins: [...builtins.plugins, ...(options.plugins ?? [])], builtinPlugins: builtins.all })
    await runtime.start()
    const failed = runtime.plugins().filter((p) => p.state === 'failed')
    if (failed.length) throw new Error(failed.map((p) => `Plugin '${p.name}' did not start: ${p.reason ?? 'no reason given'}`).join('\n'))
    await waitForState(runtime, 'open', LOGIN_TIMEOUT_MS)
    sessions = [{ id: 'default', phone: BOT_PHONE, jid: `${BOT_PHONE}@s.whatsapp.net` }, ...(await pairSessions(runtime, emulator, options.sessions ?? [], LOGIN_TIMEOUT_MS))]
  } catch (error) {
    await shutDown(runtime, signal, emulator, folder)
    throw error
  }
  return testBot({ runtime, emulator, signal, folder, logs, timeoutMs, sessions })
}

/** Which built-in plugins run: the runtime loads all of them itself; named ones are loaded here. */
async function builtinPlugins(choice: boolean | string[]): Promise<{ all: boolean; plugins: PluginDefinition[] }> {
  if (typeof choice === 'boolean') return { all: choice, plugins: [] }
  const available = builtinPluginSources().map((folder) => path.basename(folder))
  const plugins = await Promise.all(
    choice.map(async (name) => {
      if (!available.includes(name)) throw new Error(`There is no built-in plugin '${name}'; there are: ${available.join(', ')}`)
      const loaded = await loadPlugin(path.join(BUILTIN_PLUGIN_DIR, name))
      if ('error' in loaded) throw new Error(`The built-in plugin '${name}' ${loaded.error}`)
      return loaded.plugin
    }),
  )
  return { all: false, plugins }
}

async function shutDown(runtime: Runtime | undefined, signal: SignalLayer, emulator: Emulator, folder: RuntimeFolder): Promise<void> {
  try {
    await runtime?.stop()
  } finally {
    signal.close()
    await emulator.stop()
    folder.remove()
  }
}

interface Parts {
  runtime: Runtime
  emulator: Emulator
  signal: SignalLayer
  folder: RuntimeFolder
  logs: TestLogs
  timeoutMs: number
  sessions: TestSession[]
}

function testBot({ runtime, emulator, signal, folder, logs, timeoutMs, sessions }: Parts): TestBot {
  const session = (id: string): TestSession => {
    const found = sessions.find((s) => s.id === id)
    if (!found) throw new Error(`the bot has no session '${id}'; start it with startTestBot({ sessions: ['${id}'] }). It has: ${sessions.map((s) => s.id).join(', ')}`)
    return found
  }
  let nextPhone = 1
  const contact = (name: string, options: ContactOptions = {}): TestContact => {
    const phone = options.phone?.replace(/\D/g, '') ?? `1555010${String(nextPhone++).padStart(4, '0')}`
    if (sessions.some((s) => s.phone === phone)) throw new Error(`${phone} is one of the bot's own numbers; choose another for ${name}`)
    const c = emulator.addContact({ phone, name, ...(options.onGroupAdd ? { onGroupAdd: options.onGroupAdd } : {}) })
    return contactHandle({ emulator, signal, phoneOf: (id) => session(id).phone, timeoutMs }, { name, phone: c.phone, jid: c.jid, lid: c.lid })
  }
  const owner = contact('Owner', { phone: OWNER_PHONE })
  const conversation = new Conversation({ runtime, phoneOf: (id) => session(id).phone, emulator, signal, owner, timeoutMs, problems: () => logs.problems() })
  let stopping: Promise<void> | undefined

  const group = (subject: string, options: GroupOptions = {}): TestGroup => {
    const admins = options.admins ?? []
    const members = [...new Set([...(options.members ?? []), ...admins])]
    const createdBy = options.createdBy ?? members[0] ?? owner
    const others = members.filter((m) => m !== createdBy)
    const view = emulator.createGroupAs(createdBy.phone, subject, others.map((m) => m.phone), {
      botIsAdmin: options.botIsAdmin ?? false,
      admins: admins.map((a) => a.phone),
    })
    const missing = others.filter((m) => !view.participants.some((p) => p.jid === m.jid))
    if (missing.length) throw new Error(`${missing.map((m) => m.name).join(', ')} could not be put in "${subject}": their onGroupAdd setting refuses it`)
    return groupHandle({ emulator, whatsapp: runtime.whatsapp }, view.jid, subject, createdBy)
  }

  let stopped = false
  /** A stopped bot's calls would wait on a server that is gone; say so at once instead. */
  const live = (name: string) => {
    if (stopped) throw new Error(`bot.${name}() was called after bot.stop(); start another bot with startTestBot`)
  }
  const bot: TestBot = {
    owner,
    jid: `${BOT_PHONE}@s.whatsapp.net`,
    session,
    get url() {
      return runtime.url
    },
    apiKey: KIT_API_KEY,
    runtime,
    emulator,
    contact: (name, options) => {
      live('contact')
      return contact(name, options)
    },
    group: (subject, options) => {
      live('group')
      return group(subject, options)
    },
    say: async (text, options) => {
      live('say')
      return conversation.say(text, options)
    },
    send: async (text, options) => {
      live('send')
      return conversation.send(text, options)
    },
    nextMessage: async (query) => {
      live('nextMessage')
      return conversation.nextMessage(query)
    },
    messages: (query) => conversation.messages(query),
    request: async (method, route, body, options) => {
      live('request')
      return httpRequest(runtime.url, KIT_API_KEY, method, route, body, options)
    },
    stop: () => {
      stopped = true
      return (stopping ??= shutDown(runtime, signal, emulator, folder))
    },
    [Symbol.asyncDispose]: () => bot.stop(),
  }
  return bot
}
