// Memory per WhatsApp session, and start-up with many stored sessions: the
// runtime as its own process (as `npm start` runs it) on the emulator, paired
// with 1, then 10, 50 and 100 numbers over HTTP. At each step the process's
// memory is read after a full collection, idle and again after every number
// has answered a `!ping`; then the runtime is restarted on the same data and
// timed until every session is open again.
//
//   npm run bench -- --sessions [--max 100] [--out bench/sessions-results.json]
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { startEmulator, type Emulator } from '../emulator/index.js'
import { installSignal, type SignalLayer } from '../emulator/signal/index.js'
import { BotProcess } from './bot-process.js'
import type { Usage } from './bot-ipc.js'
import { compileBots } from './compile-bots.js'

const API_KEY = 'bench-key-0123456789abcdef'
/** How many sessions are paired at once while growing to the next step. */
const PAIRING_AT_ONCE = 4
const MB = 1024 * 1024

export interface SessionsStep {
  sessions: number
  idle: { rssMb: number; heapMb: number }
  afterPing: { rssMb: number; heapMb: number }
  /** The slowest `!ping` answer of the round, ms. */
  pingMaxMs: number
}

export interface SessionsResults {
  command: string
  steps: SessionsStep[]
  /** (RSS at the last step − RSS with one session) / (sessions added), idle, MB. */
  marginalIdleMb: number
  marginalAfterPingMb: number
  /** Restart with every session stored: spawn to HTTP up, and to every session open, ms. */
  restart: { sessions: number; httpReadyMs: number; allOpenMs: number; startConcurrency: number }
  elapsedS: number
}

const phoneOf = (index: number) => `1555100${String(index).padStart(4, '0')}`
/** Each number has a customer of its own, as a business's numbers do. */
const contactOf = (index: number) => `1555200${String(index).padStart(4, '0')}`
const sessionId = (index: number) => (index === 0 ? 'default' : `s${index}`)
const mb = (bytes: number) => Math.round((bytes / MB) * 10) / 10
const memory = (usage: Usage) => ({ rssMb: mb(usage.rss), heapMb: mb(usage.heapUsed) })

export async function runSessionsBench(options: { max: number; command: string }, log: (line: string) => void): Promise<SessionsResults> {
  const startedAt = performance.now()
  compileBots()
  const emulator = await startEmulator()
  const signal = installSignal(emulator.host, { timeoutMs: 60_000 })
  const dataDir = mkdtempSync(path.join(tmpdir(), 'waplug-bench-sessions-'))
  const env = {
    BENCH_AUTH_STORE: 'lmdb',
    DATA_DIR: dataDir,
    PORT: '0',
    HOST: '127.0.0.1',
    API_KEY,
    WA_WS_URL: emulator.url,
    WA_PRINT_QR: 'false',
    LOG_PRETTY: 'false',
    LOG_LEVEL: 'warn',
  }
  let bot: BotProcess | undefined
  try {
    bot = (await BotProcess.start({ entry: 'bench/runtime-bot.ts', env, onQr: (qr) => emulator.scanQr(qr, { phone: phoneOf(0) }) }, 60_000)).bot
    await keysUploaded(emulator, phoneOf(0))
    const api = client(bot.url)
    const steps: SessionsStep[] = []
    let paired = 1
    for (const target of [1, 10, 50, 100, options.max].filter((n, i, all) => n <= options.max && all.indexOf(n) === i)) {
      while (paired < target) {
        const batch = Array.from({ length: Math.min(PAIRING_AT_ONCE, target - paired) }, (_, i) => paired + i)
        await Promise.all(batch.map((index) => pairSession(api, emulator, index)))
        paired += batch.length
      }
      const idle = memory(await bot.usage())
      const pingMaxMs = await pingEach(emulator, signal, paired)
      const afterPing = memory(await bot.usage())
      steps.push({ sessions: paired, idle, afterPing, pingMaxMs })
      log(`${paired} sessions: idle RSS ${idle.rssMb} MB, heap ${idle.heapMb} MB; after !ping RSS ${afterPing.rssMb} MB, heap ${afterPing.heapMb} MB`)
    }

    await bot.stop()
    const spawned = performance.now()
    const restarted = await BotProcess.start({ entry: 'bench/runtime-bot.ts', env }, 120_000)
    bot = restarted.bot
    await until(async () => (await client(bot?.url ?? '').sessions()).every((s) => s.state === 'open'), 'every session to open again', 300_000)
    const allOpenMs = Math.round(performance.now() - spawned)
    log(`restart with ${paired} stored sessions: HTTP up in ${Math.round(restarted.times.httpReadyMs)} ms, all open in ${allOpenMs} ms`)

    const first = steps[0] as SessionsStep
    const last = steps.at(-1) as SessionsStep
    const added = Math.max(1, last.sessions - first.sessions)
    return {
      command: options.command,
      steps,
      marginalIdleMb: Math.round(((last.idle.rssMb - first.idle.rssMb) / added) * 100) / 100,
      marginalAfterPingMb: Math.round(((last.afterPing.rssMb - first.afterPing.rssMb) / added) * 100) / 100,
      restart: { sessions: paired, httpReadyMs: Math.round(restarted.times.httpReadyMs), allOpenMs, startConcurrency: 4 },
      elapsedS: Math.round((performance.now() - startedAt) / 1000),
    }
  } finally {
    await bot?.stop()
    signal.close()
    await emulator.stop()
    rmSync(dataDir, { recursive: true, force: true, maxRetries: 20, retryDelay: 50 })
  }
}

export function sessionsTable(results: SessionsResults): string {
  const rows = results.steps.map((s) => `| ${s.sessions} | ${s.idle.rssMb} | ${s.idle.heapMb} | ${s.afterPing.rssMb} | ${s.afterPing.heapMb} | ${s.pingMaxMs} |`)
  return [
    '| sessions | idle RSS (MB) | idle heap (MB) | RSS after !ping (MB) | heap after !ping (MB) | slowest !ping (ms) |',
    '|---:|---:|---:|---:|---:|---:|',
    ...rows,
    '',
    `One more session: ${results.marginalIdleMb} MB idle, ${results.marginalAfterPingMb} MB after a !ping (RSS).`,
    `Restart with ${results.restart.sessions} stored sessions: HTTP up in ${results.restart.httpReadyMs} ms, every session open in ${results.restart.allOpenMs} ms (${results.restart.startConcurrency} at a time).`,
  ].join('\n')
}

interface SessionRow {
  id: string
  state: string
  qr: string | null
}

function client(url: string) {
  const call = async (method: string, route: string, body?: unknown): Promise<{ status: number; data: unknown }> => {
    const response = await fetch(`${url}${route}`, {
      method,
      headers: { authorization: API_KEY, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
    const envelope = (await response.json()) as { data?: unknown; error?: string }
    if (!response.ok) throw new Error(`${method} ${route}: ${response.status} ${envelope.error ?? ''}`)
    return { status: response.status, data: envelope.data }
  }
  return {
    create: (id: string) => call('POST', '/sessions', { id }),
    session: async (id: string) => (await call('GET', `/sessions/${id}`)).data as SessionRow,
    sessions: async () => (await call('GET', '/sessions')).data as SessionRow[],
  }
}

/** Creates a session over HTTP and scans its QR with a number of its own, as an operator would. */
async function pairSession(api: ReturnType<typeof client>, emulator: Emulator, index: number): Promise<void> {
  const id = sessionId(index)
  await api.create(id)
  let qr: string | null = null
  await until(async () => Boolean((qr = (await api.session(id)).qr)), `session ${id} to show a QR`, 30_000)
  await emulator.scanQr(qr ?? '', { phone: phoneOf(index) })
  await until(async () => (await api.session(id)).state === 'open', `session ${id} to open`, 30_000)
  await keysUploaded(emulator, phoneOf(index))
}

/** One `!ping` to every number, a few at a time; the slowest answer, ms. */
async function pingEach(emulator: Emulator, signal: SignalLayer, sessions: number): Promise<number> {
  let slowest = 0
  for (let from = 0; from < sessions; from += 8) {
    const batch = Array.from({ length: Math.min(8, sessions - from) }, (_, i) => from + i)
    await Promise.all(
      batch.map(async (index) => {
        emulator.addContact({ phone: contactOf(index), name: `Customer ${index}` })
        const sent = performance.now()
        const { id } = await signal.contact(contactOf(index)).say('!ping', { to: phoneOf(index), timeoutMs: 60_000 })
        const [reply] = await signal.repliesTo(id, { count: 1, timeoutMs: 60_000 })
        if (reply?.text !== 'pong') throw new Error(`session ${sessionId(index)} answered ${JSON.stringify(reply?.text)} to !ping`)
        slowest = Math.max(slowest, performance.now() - sent)
      }),
    )
  }
  return Math.round(slowest)
}

async function keysUploaded(emulator: Emulator, phone: string): Promise<void> {
  const { world } = emulator.host
  await until(async () => {
    const account = world.botOf(phone)
    return Boolean(account && world.preKeysOf(account))
  }, `${phone} to upload its keys`, 30_000)
}

async function until(check: () => Promise<boolean>, what: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
}

/** `npm run bench -- --sessions` writes these results beside the table. */
export function writeSessionsResults(results: SessionsResults, out: string): void {
  writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`)
}
