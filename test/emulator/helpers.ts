// Drives the real Baileys client against the emulator: one BotClient is one
// app instance with an auth folder, reconnecting the way an app would.
import '../support/baileys-timers.js'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import makeWASocket, { type BaileysEventMap, type ConnectionState, DisconnectReason, useMultiFileAuthState, type WASocket } from '@whiskeysockets/baileys'
import { pino } from 'pino'
import { installEmulatorTrust, startEmulator, type Emulator } from '../../emulator/index.js'

installEmulatorTrust()

export const logger = pino({ level: 'silent' })

export function statusOf(update: Partial<ConnectionState>): number | undefined {
  const err = update.lastDisconnect?.error as { output?: { statusCode?: number } } | undefined
  return err?.output?.statusCode
}

export class BotClient {
  sock!: WASocket
  readonly updates: Partial<ConnectionState>[] = []
  private listeners: ((u: Partial<ConnectionState>) => void)[] = []
  private readonly timers = new Set<NodeJS.Timeout>()
  private saving: Promise<void> = Promise.resolve()

  private constructor(
    readonly emu: Emulator,
    readonly dir: string,
  ) {}

  static async create(emu: Emulator, dir?: string): Promise<BotClient> {
    const c = new BotClient(emu, dir ?? (await mkdtemp(join(tmpdir(), 'waplug-emu-'))))
    await c.connect()
    return c
  }

  /** A new socket over the stored auth, like an app restart or a reconnect. */
  async connect(): Promise<void> {
    const { state, saveCreds } = await useMultiFileAuthState(this.dir)
    this.sock = makeWASocket({
      auth: state,
      waWebSocketUrl: this.emu.url,
      logger,
      defaultQueryTimeoutMs: 3000,
      connectTimeoutMs: 5000,
      keepAliveIntervalMs: 2000,
      qrTimeout: 15000,
      markOnlineOnConnect: false,
      syncFullHistory: false,
      // The emulator sends no history sync; without this the first login
      // buffers every event for 20 s waiting for one.
      shouldSyncHistoryMessage: () => false,
      retryRequestDelayMs: 10,
    })
    // Saves are chained and awaited by end(), so none runs after the folder is gone.
    this.sock.ev.on('creds.update', () => {
      this.saving = this.saving.then(saveCreds).catch(() => undefined)
    })
    this.sock.ev.on('connection.update', (u) => {
      this.updates.push(u)
      for (const l of [...this.listeners]) l(u)
    })
  }

  /** Resolves with the first connection.update (from now on, or already seen when `past`) matching. */
  waitFor(pred: (u: Partial<ConnectionState>) => boolean, timeoutMs = 10_000, past = false): Promise<Partial<ConnectionState>> {
    if (past) {
      const seen = this.updates.find(pred)
      if (seen) return Promise.resolve(seen)
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer)
        this.listeners = this.listeners.filter((l) => l !== on)
        reject(new Error(`timed out waiting for connection.update; seen: ${JSON.stringify(this.updates.map(summary))}`))
      }, timeoutMs)
      this.timers.add(timer)
      const on = (u: Partial<ConnectionState>): void => {
        if (!pred(u)) return
        clearTimeout(timer)
        this.timers.delete(timer)
        this.listeners = this.listeners.filter((l) => l !== on)
        resolve(u)
      }
      this.listeners.push(on)
    })
  }

  waitForQr(): Promise<string> {
    return this.waitFor((u) => typeof u.qr === 'string', 10_000, true).then((u) => u.qr!)
  }

  waitForOpen(): Promise<Partial<ConnectionState>> {
    return this.waitFor((u) => u.connection === 'open')
  }

  waitForClose(): Promise<Partial<ConnectionState>> {
    return this.waitFor((u) => u.connection === 'close')
  }

  /** Ends the socket without logging out. */
  async end(): Promise<void> {
    // Waiters nobody awaits any more must not reject after the test ended.
    for (const t of this.timers) clearTimeout(t)
    this.timers.clear()
    this.listeners = []
    await this.sock.end(undefined)
    await new Promise((r) => setImmediate(r))
    await this.saving
  }

  async dispose(): Promise<void> {
    await this.end()
    // saveCreds may still be writing; rm retries ENOTEMPTY.
    await rm(this.dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 20 })
  }
}

function summary(u: Partial<ConnectionState>): unknown {
  return { connection: u.connection, qr: u.qr ? 'qr' : undefined, status: statusOf(u), isNewLogin: u.isNewLogin }
}

/** Pairs a fresh client by QR, follows the 515 restart, and returns it open. */
export async function pairedBot(emu: Emulator, phone = '15550100001'): Promise<BotClient> {
  const bot = await BotClient.create(emu)
  const qr = await bot.waitForQr()
  const closed = bot.waitForClose()
  await emu.scanQr(qr, { phone })
  const update = await closed
  if (statusOf(update) !== DisconnectReason.restartRequired) throw new Error(`expected 515 after pairing, got ${statusOf(update)}`)
  const opened = (async () => {
    await bot.connect()
    await bot.waitForOpen()
  })()
  await opened
  return bot
}

export async function withEmulator(fn: (emu: Emulator) => Promise<void>): Promise<void> {
  const lines: string[] = []
  const emu = await startEmulator({ log: (l) => lines.push(l), iqTimeoutMs: 3000 })
  try {
    await fn(emu)
  } catch (err) {
    if (process.env.EMU_LOG) console.error(lines.join('\n'))
    throw err
  } finally {
    await emu.stop()
  }
}

/** The next `name` event whose payload satisfies `pred`. */
export function nextEvent<E extends keyof BaileysEventMap>(
  sock: WASocket,
  name: E,
  pred: (payload: BaileysEventMap[E]) => boolean = () => true,
  timeoutMs = 5000,
): Promise<BaileysEventMap[E]> {
  return new Promise((resolve, reject) => {
    const on = (payload: BaileysEventMap[E]): void => {
      if (!pred(payload)) return
      clearTimeout(timer)
      sock.ev.off(name, on)
      resolve(payload)
    }
    const timer = setTimeout(() => {
      sock.ev.off(name, on)
      reject(new Error(`no ${name} event within ${timeoutMs} ms`))
    }, timeoutMs)
    sock.ev.on(name, on)
  })
}
