// What a bot process under test and the bench say to each other over the
// child-process IPC channel. The bench takes its own clock readings when
// messages arrive, so a child never has to be trusted with timing itself.
import { readFileSync } from 'node:fs'
import { writeHeapSnapshot } from 'node:v8'

export interface CpuTime {
  /** CPU time this process has used so far, microseconds (user + system). */
  cpuMicros: number
  /** Of it, the main thread's (user + system, and system alone): the rest is the collector's helpers, libuv's pool and native threads. Linux only, to 10 ms. */
  mainThread?: { cpuMicros: number; systemMicros: number }
}

export interface Usage extends CpuTime {
  /** Resident set size, bytes. */
  rss: number
  heapUsed: number
  heapTotal: number
}

export type BotEvent =
  | { type: 'http-ready'; url: string }
  | { type: 'qr'; qr: string }
  | { type: 'open' }
  | { type: 'usage'; usage: Usage }
  | { type: 'cpu'; cpu: CpuTime }
  | { type: 'snapshot'; path: string }
  | { type: 'failed'; error: string }

export type BenchRequest = { type: 'usage' } | { type: 'cpu' } | { type: 'stop' } | { type: 'snapshot'; path: string }

export function report(event: BotEvent): void {
  process.send?.(event)
}

/**
 * CPU time alone: what a measured window starts and ends with. It forces no
 * collection, so a round is charged for none and starts with the heap and the
 * compiled code the bot had.
 */
export function cpuTime(): CpuTime {
  const cpu = process.cpuUsage()
  const main = mainThreadCpu()
  return { cpuMicros: cpu.user + cpu.system, ...(main ? { mainThread: main } : {}) }
}

/**
 * Memory after a full collection (the processes run with --expose-gc), so that
 * garbage is not counted as growth. The CPU time is read first: the collection
 * is the bench's doing, not the bot's. A forced full collection costs the bot
 * more than its CPU (it drops optimized code that must then be compiled again),
 * so measured windows start with cpuTime() and take this only where they need
 * the memory.
 */
export function usage(): Usage {
  const cpu = cpuTime()
  const collect = (globalThis as { gc?: () => void }).gc
  collect?.()
  const memory = process.memoryUsage()
  return { rss: memory.rss, heapUsed: memory.heapUsed, heapTotal: memory.heapTotal, ...cpu }
}

/** The main thread's CPU time from /proc (in clock ticks of 10 ms), where there is one. */
function mainThreadCpu(): { cpuMicros: number; systemMicros: number } | undefined {
  let stat: string
  try {
    stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8')
  } catch {
    return undefined
  }
  // After the command name (which may hold spaces), utime and stime are the 12th and 13th fields.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  const [user, system] = [Number(fields[11]), Number(fields[12])]
  return { cpuMicros: (user + system) * 10_000, systemMicros: system * 10_000 }
}

/** Answers the bench's requests; `stop` runs the bot's own clean shutdown, then exits (so --cpu-prof can write its profile). */
export function serveBench(stop: () => Promise<void>): void {
  process.on('message', (request: BenchRequest) => {
    if (request.type === 'usage') report({ type: 'usage', usage: usage() })
    if (request.type === 'cpu') report({ type: 'cpu', cpu: cpuTime() })
    // What the heap holds, for `--soak --snapshots`: two of them, compared, name what grows.
    if (request.type === 'snapshot') report({ type: 'snapshot', path: writeHeapSnapshot(request.path) })
    if (request.type === 'stop') {
      stop().then(
        () => process.exit(0),
        (error: unknown) => {
          report({ type: 'failed', error: String(error) })
          process.exit(1)
        },
      )
    }
  })
  // The bench going away must not leave a bot running.
  process.on('disconnect', () => process.exit(0))
}
