// The runtime as its own process, as `npm start` runs it (`node dist/core/main.js`),
// on the emulator: configured by environment variables, observed only through
// what it prints (JSON log lines at info) and its HTTP API, killed with SIGKILL.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { ARM_SIGNAL, KILLED_MARK, SIGNAL_TAKEN_MARK } from './crash-plan.js'
import { built } from './package.js'

export const CHILD_API_KEY = 'crash-key-0123456789abcdef'

export interface RuntimeProcessOptions {
  dataDir: string
  /** Where it runs from: a folder without a config/local.json of anyone's. */
  cwd: string
  wsUrl: string
  /** Node flags loading the preloads (see child-preloads.ts). */
  preloads: string[]
  env?: Record<string, string>
}

/** How a start ended: WhatsApp open; a QR or pairing code shown; the process gone; nothing within the deadline. */
export type StartOutcome = 'open' | 'pairing' | 'exited' | 'timeout'

interface LogLine {
  level?: number
  msg?: string
  component?: string
}

// What the runtime writes when a person must pair: the QR it draws, a pairing
// code, or the warning that the stored session was thrown away.
const PAIRING = ['Scan this QR', 'Pairing code for', 'pair again']

/** Every process started and not yet gone: killed if the test process exits first (a timeout, a crash of its own). */
const running = new Set<ChildProcessWithoutNullStreams>()
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL')
})

export class RuntimeProcess {
  readonly child: ChildProcessWithoutNullStreams
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
  /** Everything it printed, stdout and stderr, in order. Not for printing: Baileys' Signal library writes session keys to the console. */
  output = ''
  /** The JSON log lines, parsed. */
  readonly lines: LogLine[] = []
  /** Its log lines and the crash preload's, as printed: what may be shown. */
  private readonly shown: string[] = []
  url = ''
  private exitedNow = false
  /** The end of each stream's last chunk, not yet a whole line. */
  private readonly partial = { stdout: '', stderr: '' }
  private readonly watchers = new Set<() => void>()

  constructor(options: RuntimeProcessOptions) {
    this.child = spawn(process.execPath, [...options.preloads, built('core/main.js')], {
      cwd: options.cwd,
      // Only what is set here: no OWNERS, PLUGINS or NODE_OPTIONS from whoever runs the test.
      env: {
        PATH: process.env.PATH ?? '',
        DATA_DIR: options.dataDir,
        PORT: '0',
        HOST: '127.0.0.1',
        API_KEY: CHILD_API_KEY,
        WA_WS_URL: options.wsUrl,
        LOG_LEVEL: 'info',
        LOG_PRETTY: 'false',
        // Baileys' own info lines say when it logs in and uploads prekeys, which aimed kills wait for.
        WA_LOG_LEVEL: 'info',
        ...options.env,
      },
      stdio: 'pipe',
    })
    running.add(this.child)
    this.child.stdout.on('data', (chunk: Buffer) => this.take(chunk.toString(), 'stdout'))
    this.child.stderr.on('data', (chunk: Buffer) => this.take(chunk.toString(), 'stderr'))
    this.exited = new Promise((resolve) =>
      this.child.once('exit', (code, signal) => {
        running.delete(this.child)
        this.exitedNow = true
        this.notify()
        resolve({ code, signal })
      }),
    )
  }

  get pid(): number | undefined {
    return this.child.pid
  }

  get hasExited(): boolean {
    return this.exitedNow
  }

  /** Whether it has asked for a QR scan or a pairing code. */
  pairing = false
  /** Whether WhatsApp has been open. */
  open = false

  /** Resolves once `check` holds, checked on every line of output and at exit; false at the deadline. */
  until(check: () => boolean, timeoutMs: number): Promise<boolean> {
    if (check()) return Promise.resolve(true)
    return new Promise((resolve) => {
      const done = (result: boolean): void => {
        clearTimeout(timer)
        this.watchers.delete(watcher)
        resolve(result)
      }
      const watcher = (): void => {
        if (check()) done(true)
      }
      const timer = setTimeout(() => done(false), timeoutMs)
      this.watchers.add(watcher)
    })
  }

  /** Waits until WhatsApp is open, pairing is asked for, or the process is gone. */
  async started(timeoutMs: number): Promise<StartOutcome> {
    await this.until(() => this.open || this.pairing || this.exitedNow, timeoutMs)
    if (this.open) return 'open'
    if (this.pairing) return 'pairing'
    return this.exitedNow ? 'exited' : 'timeout'
  }

  /** The QR the runtime shows while pairing, from GET /session. */
  async qr(): Promise<string | undefined> {
    const response = await fetch(`${this.url}/session`, { headers: { authorization: CHILD_API_KEY } })
    const { data } = (await response.json()) as { data: { qr: string | null } }
    return data.qr ?? undefined
  }

  async request(method: string, route: string, body?: unknown): Promise<{ status: number; envelope: unknown }> {
    const response = await fetch(`${this.url}${route}`, {
      method,
      headers: { authorization: CHILD_API_KEY, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(10_000),
    })
    return { status: response.status, envelope: await response.json() }
  }

  /** SIGKILL, and resolves once the process is gone. */
  async kill(): Promise<void> {
    if (!this.exitedNow) this.child.kill('SIGKILL')
    await this.exited
  }

  /** Whether the crash preload has taken its signal. */
  private signalTaken = false

  /** Arms an aimed kill's plan (see crash-plan.ts); resolves once the preload has taken the signal, false if it did not. */
  async arm(timeoutMs = 5000): Promise<boolean> {
    if (this.exitedNow || !this.child.kill(ARM_SIGNAL)) return false
    return this.until(() => this.signalTaken || this.exitedNow, timeoutMs)
  }

  /** Its JSON log lines and the crash preload's, one a line. */
  logText(): string {
    return this.shown.join('\n') + '\n'
  }

  /** Log lines at warn or above, as "msg: err", for a report. */
  problems(): string[] {
    return this.lines.filter((line) => (line.level ?? 0) >= 40).map((line) => line.msg ?? '')
  }

  private take(text: string, stream: 'stdout' | 'stderr'): void {
    this.output += text
    const whole = this.partial[stream] + text
    if (PAIRING.some((phrase) => whole.includes(phrase))) this.pairing = true
    const parts = whole.split('\n')
    this.partial[stream] = parts.pop() ?? ''
    for (const part of parts) {
      if (part.startsWith(KILLED_MARK)) this.shown.push(part)
      if (part.startsWith(SIGNAL_TAKEN_MARK)) this.signalTaken = true
      if (!part.startsWith('{')) continue
      try {
        const line = JSON.parse(part) as LogLine
        this.lines.push(line)
        this.shown.push(part)
        if (line.msg === 'WhatsApp connected') this.open = true
        const url = /^HTTP API listening on .*reachable at (http:\/\/\S+)$/.exec(line.msg ?? '')?.[1]
        if (url) this.url = url
      } catch {
        // not a log line (the QR drawing)
      }
    }
    this.notify()
  }

  private notify(): void {
    for (const watcher of [...this.watchers]) watcher()
  }
}
