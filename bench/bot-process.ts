// One bot under test as its own process, started the way a bot runs in
// production (compiled, plain node), trusting the emulator through the
// preload, talking to the bench over IPC. Start-up is timed here, from just before spawn.
import { fork, type ChildProcess } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { compiled } from './compile-bots.js'
import type { BenchRequest, BotEvent, CpuTime, Usage } from './bot-ipc.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

export interface StartTimes {
  /** Spawn to the HTTP server listening, ms. */
  httpReadyMs: number
  /** Spawn to WhatsApp open, ms. */
  openMs: number
}

export interface BotProcessOptions {
  entry: string
  env: Record<string, string>
  /** Write a V8 CPU profile into this directory when the process exits. */
  cpuProfileDir?: string
  /** Answers a pairing QR (the bench scans it on the emulator). */
  onQr?: (qr: string) => Promise<void>
  /**
   * A peer bot outside the project: `entry` is run as it is (not compiled),
   * from `cwd`, without the trust preload, which would load the project's
   * own Baileys into it; it trusts the emulator by itself.
   */
  peer?: { cwd: string }
  /** Another checkout of waplug to run the (compiled) bot from, with its own node_modules: the "before" of a change. */
  checkout?: string
}

export class BotProcess {
  url = ''
  private readonly waiting = new Map<BotEvent['type'], { resolve: (event: BotEvent) => void; reject: (error: Error) => void }[]>()
  private exited: Promise<number | null>
  private stderr = ''

  private constructor(
    private readonly child: ChildProcess,
    private readonly options: BotProcessOptions,
  ) {
    child.stderr?.on('data', (chunk: Buffer) => (this.stderr = (this.stderr + chunk.toString()).slice(-4000)))
    child.on('message', (event: BotEvent) => this.onEvent(event))
    this.exited = new Promise((resolve) => child.once('exit', (code) => {
      this.rejectAll(new Error(`${options.entry} exited with ${code}${this.stderr ? `: ${this.stderr.trim()}` : ''}`))
      resolve(code)
    }))
  }

  /** Starts the process and waits for HTTP and for WhatsApp open (pairing first if it shows a QR); generous, for a loaded machine starting several bots at once. */
  static async start(options: BotProcessOptions, timeoutMs = 120_000): Promise<{ bot: BotProcess; times: StartTimes }> {
    const flags = ['--expose-gc', ...(options.peer ? [] : ['--import', pathToFileURL(compiled('emulator/trust-preload.ts', options.checkout)).href])]
    if (options.cpuProfileDir) flags.push('--cpu-prof', `--cpu-prof-dir=${path.resolve(options.cpuProfileDir)}`)
    const started = performance.now()
    const child = fork(options.peer ? path.join(root, options.entry) : compiled(options.entry, options.checkout), [], {
      cwd: options.peer?.cwd ?? options.checkout ?? root,
      execArgv: flags,
      env: { ...process.env, ...options.env },
      // Logs go where a server's usually go: written, not read by anyone here.
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    })
    const bot = new BotProcess(child, options)
    const deadline = setTimeout(() => bot.rejectAll(new Error(`${options.entry} did not start within ${timeoutMs} ms`)), timeoutMs)
    try {
      const http = bot.next('http-ready')
      const open = bot.next('open')
      // A bot that fails before HTTP is ready rejects this one too, and nobody would be waiting for it.
      open.catch(() => undefined)
      const qr = bot.next('qr')
      qr.catch(() => undefined)
      void qr.then(async (event) => {
        if (event.type === 'qr') await options.onQr?.(event.qr)
      }).catch((error: unknown) => bot.rejectAll(error as Error))
      const ready = await http
      if (ready.type === 'http-ready') bot.url = ready.url
      const httpReadyMs = performance.now() - started
      await open
      return { bot, times: { httpReadyMs, openMs: performance.now() - started } }
    } catch (error) {
      bot.child.kill('SIGKILL')
      throw error
    } finally {
      clearTimeout(deadline)
    }
  }

  get pid(): number | undefined {
    return this.child.pid
  }

  /** Memory after a full collection, and the CPU time before it: where a measure needs the memory. */
  async usage(): Promise<Usage> {
    return (await this.ask({ type: 'usage' }, 'usage')).usage
  }

  /** CPU time alone, with no collection forced: what a measured window starts and ends with. */
  async cpu(): Promise<CpuTime> {
    return (await this.ask({ type: 'cpu' }, 'cpu')).cpu
  }

  /** Writes a heap snapshot of the bot to `file`; resolves once it is written. */
  async heapSnapshot(file: string): Promise<string> {
    return (await this.ask({ type: 'snapshot', path: file }, 'snapshot')).path
  }

  private async ask<T extends BotEvent['type']>(request: BenchRequest, answer: T): Promise<Extract<BotEvent, { type: T }>> {
    const next = this.next(answer)
    this.send(request)
    const event = await next
    if (event.type !== answer) throw new Error(`unexpected answer: ${event.type} to ${request.type}`)
    return event as Extract<BotEvent, { type: T }>
  }

  /** A clean stop (the bot's own shutdown), so a CPU profile gets written. */
  async stop(timeoutMs = 10_000): Promise<void> {
    if (this.child.exitCode !== null) return
    this.send({ type: 'stop' })
    const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs)
    await this.exited
    clearTimeout(timer)
  }

  private send(request: BenchRequest): void {
    this.child.send(request)
  }

  private next(type: BotEvent['type']): Promise<BotEvent> {
    return new Promise((resolve, reject) => {
      const list = this.waiting.get(type) ?? []
      list.push({ resolve, reject })
      this.waiting.set(type, list)
    })
  }

  private onEvent(event: BotEvent): void {
    if (event.type === 'failed') return this.rejectAll(new Error(`${this.options.entry}: ${event.error}`))
    const list = this.waiting.get(event.type)
    this.waiting.delete(event.type)
    for (const waiter of list ?? []) waiter.resolve(event)
  }

  private rejectAll(error: Error): void {
    const all = [...this.waiting.values()].flat()
    this.waiting.clear()
    for (const waiter of all) waiter.reject(error)
  }
}
