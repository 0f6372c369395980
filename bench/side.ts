// One side of a comparison: a bot process with an emulator of its own (one
// WhatsApp account per emulator), its simulated contacts, and a data dir.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { startEmulator, type Emulator } from '../emulator/index.js'
import { installSignal, type SignalLayer, type SimContact } from '../emulator/signal/index.js'
import { TEST_ROOT } from '../emulator/wire/certificates.js'
import { BotProcess, type StartTimes } from './bot-process.js'
import { compiled } from './compile-bots.js'
import { PUBLISHED_BAILEYS } from './peers.js'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

/**
 * The runtime (on its LMDB store), the raw baseline, the runtime on two other auth stores, the runtime's process behind the raw
 * baseline's HTTP handlers, the peer framework, and the raw baseline on Baileys as published.
 */
export type SideName = 'runtime' | 'raw' | 'files' | 'lmdb-cached' | 'runtime-bare' | 'builderbot' | 'published'

interface Bot {
  entry: string
  env: Record<string, string>
  /** A peer framework's bot, installed in a folder of its own (see peers.ts). */
  peer?: true
  /** Whether its answer quotes the command (BuilderBot's flows do not): how the load finds the answer. */
  quotes: boolean
  /** Run from another checkout of waplug (see http-ab.ts). */
  checkout?: string
}

// Every runtime side names its store, so that a BENCH_AUTH_STORE left in the shell changes none of them.
const BOTS: Record<SideName, Bot> = {
  runtime: { entry: 'bench/runtime-bot.ts', env: { BENCH_AUTH_STORE: 'lmdb' }, quotes: true },
  raw: { entry: 'bench/raw-echo-bot.ts', env: {}, quotes: true },
  files: { entry: 'bench/runtime-bot.ts', env: { BENCH_AUTH_STORE: 'files' }, quotes: true },
  'lmdb-cached': { entry: 'bench/runtime-bot.ts', env: { BENCH_AUTH_STORE: 'lmdb-cached' }, quotes: true },
  'runtime-bare': { entry: 'bench/runtime-bot.ts', env: { BENCH_AUTH_STORE: 'lmdb', BENCH_HTTP: 'bare' }, quotes: true },
  // The peer is given the emulator's root key to trust; the others trust it through the preload.
  builderbot: { entry: 'bench/peers/builderbot/bot.mjs', env: { BENCH_TRUST_ROOT: TEST_ROOT.public.toString('hex') }, peer: true, quotes: false },
  // The raw bot's compiled code, on the copy of Baileys in bench/peers/baileys; run as a peer, so that the preload does not load the project's copy too.
  published: {
    entry: path.relative(ROOT, compiled('bench/raw-echo-bot.ts')),
    env: { BENCH_BAILEYS: PUBLISHED_BAILEYS, BENCH_TRUST_ROOT: TEST_ROOT.public.toString('hex') },
    peer: true,
    quotes: true,
  },
}
export const API_KEY = 'bench-key-0123456789abcdef'
/** What every HTTP measure sends to `POST /groups`: a group with one participant. */
export const GROUP_BODY = JSON.stringify({ name: 'Bench group', participants: ['15550200000@s.whatsapp.net'] })
const BOT_PHONE = '15550000001'

export class Side {
  bot: BotProcess | undefined
  readonly contacts: SimContact[] = []
  private readonly dataDir = mkdtempSync(path.join(tmpdir(), 'waplug-bench-'))

  private constructor(
    readonly name: SideName,
    readonly emulator: Emulator,
    readonly signal: SignalLayer,
    private readonly cpuProfileDir: string | undefined,
    private readonly runs: Bot,
  ) {}

  /**
   * `runs` names the bot this side starts when it is not its own (an A/A run); `env` is added to that bot's
   * environment; with `checkout`, the bot is the one of that checkout of waplug.
   */
  static async create(name: SideName, contacts: number, cpuProfileDir?: string, runs: SideName = name, env: Record<string, string> = {}, checkout?: string): Promise<Side> {
    const emulator = await startEmulator()
    const signal = installSignal(emulator.host, { timeoutMs: 30_000 })
    const bot = BOTS[runs]
    const side = new Side(name, emulator, signal, cpuProfileDir, { ...bot, env: { ...bot.env, ...env }, ...(checkout ? { checkout } : {}) })
    for (let i = 0; i < contacts; i++) {
      const phone = `1555020${String(i).padStart(4, '0')}`
      emulator.addContact({ phone, name: `Contact ${i}` })
    }
    for (let i = 0; i < contacts; i++) side.contacts.push(signal.contact(`1555020${String(i).padStart(4, '0')}`))
    return side
  }

  /** Whether the bot's answer quotes the command it answers. */
  get quotes(): boolean {
    return this.runs.quotes
  }

  get url(): string {
    return this.bot?.url ?? ''
  }

  /** Starts the bot (pairing it on the first start) and returns how long it took. */
  async start(): Promise<StartTimes> {
    const { bot, times } = await BotProcess.start({
      entry: this.runs.entry,
      env: {
        ...this.runs.env,
        DATA_DIR: this.dataDir,
        PORT: '0',
        HOST: '127.0.0.1',
        API_KEY,
        WA_WS_URL: this.emulator.url,
        WA_PRINT_QR: 'false',
        LOG_PRETTY: 'false',
      },
      ...(this.cpuProfileDir ? { cpuProfileDir: path.join(this.cpuProfileDir, this.name) } : {}),
      onQr: (qr) => this.emulator.scanQr(qr, { phone: BOT_PHONE }),
      ...(this.runs.peer ? { peer: { cwd: this.dataDir } } : {}),
      ...(this.runs.checkout ? { checkout: this.runs.checkout } : {}),
    })
    this.bot = bot
    return times
  }

  async stopBot(): Promise<void> {
    await this.bot?.stop()
    this.bot = undefined
  }

  async close(): Promise<void> {
    await this.stopBot()
    this.signal.close()
    await this.emulator.stop()
    rmSync(this.dataDir, { recursive: true, force: true, maxRetries: 20, retryDelay: 50 })
  }
}
