// The shape of bench/results.json: each measure for both sides, and how the
// runtime compares with the hand-written baseline.
import { statfsSync } from 'node:fs'
import os from 'node:os'
import type { Usage } from './bot-ipc.js'
import type { BenchOptions } from './options.js'
import { round, summarize } from './stats.js'

export interface LoadSide {
  /** Completed round trips or 2xx responses. */
  count: number
  failures: number
  perSecond: number
  p50Ms: number
  p99Ms: number
  /** CPU the bot process spent per operation, µs: the overhead with the least noise. */
  botCpuMicrosPerOp: number
  /** The same two figures for each round on its own, in the order they ran. */
  rounds: RoundFigures[]
}

export interface RoundFigures {
  perSecond: number
  botCpuMicrosPerOp: number
}

/** Side A against side B on one measure, both measured in the same rounds. */
export type Versus<A extends string, B extends string> = Record<A | B, LoadSide> & Ratios

export interface Ratios {
  /** A / B throughput. */
  throughputRatio: number
  /** A p99 − B p99, ms. */
  p99OverheadMs: number
  /** A / B bot CPU per operation. */
  cpuRatio: number
  /** The lowest and highest of the ratios taken round by round (the two sides ran side by side in each): how far one round can be from another. */
  throughputRatioRange: [number, number]
  cpuRatioRange: [number, number]
}

/** The runtime against the hand-written baseline. */
export type Comparison = Versus<'runtime', 'raw'>

export interface StartSide {
  /** Medians over the timed starts, ms. */
  httpReadyMs: number
  openMs: number
  /** Median over the starts of HTTP ready → WhatsApp open, ms: the login, the only part of a start that reads the auth store. */
  loginMs: number
  samples: { httpReadyMs: number; openMs: number }[]
  /** The start timed was the first one, pairing included (`--starts 0`), not a login from a stored session. */
  pairing: boolean
}

export interface MemoryPoint {
  afterCommands: number
  rssMb: number
  heapUsedMb: number
}

export interface MemorySide {
  /** After start-up, before any command. */
  start: MemoryPoint
  /** After each chat round: the curve the slope is fitted to. */
  samples: MemoryPoint[]
  /** After the first chat round (sessions, caches and JIT warm). */
  warm: MemoryPoint
  end: MemoryPoint
  /** end − warm heap after a full collection, MB: growth, not warm-up. */
  heapGrowthMb: number
  /** Least-squares slope of the heap over the samples from `warm` on, MB per 1,000 commands: about 0 when nothing piles up. */
  heapSlopeMbPer1k: number
}

/** The same three requests sent one at a time, so nothing waits in a queue: what one caller feels. */
export interface AtRest {
  chat: Comparison
  'POST /groups': Comparison
  'GET /groups/:jid': Comparison
}

export interface Machine {
  cpu: string
  cores: number
  memoryGb: number
  os: string
  node: string
  /** The bots' data dirs (under the OS temp dir) are in memory: a sync costs nothing, so the store rows miss what a disk costs. */
  dataOnTmpfs: boolean
}

/**
 * The same runtime on two auth stores, measured in the same interleaved
 * rounds as the runtime and the raw bot: what the store costs the bot.
 */
export interface StoreComparison<A extends string, B extends string> {
  /** Chat at `contacts` at once. */
  chat: Versus<A, B>
  /** One contact, one round trip at a time: what a store's write adds to a single message. */
  atRest: Versus<A, B>
  /** Restarts on stored state, or the first start with `--starts 0`. */
  startup: Record<A | B, StartSide>
  memory: Record<A | B, MemorySide>
}

export interface StoreResults {
  /** The runtime's LMDB store against Baileys' multi-file store (useMultiFileAuthState). */
  files: StoreComparison<'lmdb', 'files'>
  /** LMDB with Baileys' makeCacheableSignalKeyStore in front of its keys against plain LMDB; with `--stores`. */
  cached?: StoreComparison<'cached', 'lmdb'>
}

export interface Results {
  command: string
  machine: Machine
  options: Omit<BenchOptions, 'out' | 'markdown' | 'profile' | 'sessions' | 'max' | 'webhooks' | 'burst' | 'soak' | 'groups' | 'snapshots'>
  elapsedS: number
  chat: Comparison
  http: { 'POST /groups': Comparison; 'GET /groups/:jid': Comparison }
  atRest: AtRest
  startup: { runtime: StartSide; raw: StartSide }
  memory: { runtime: MemorySide; raw: MemorySide }
  /** Absent from an A/A run. */
  stores?: StoreResults
  /** With --peers: the runtime against a peer framework's bot, measured in the same rounds. */
  peers?: PeerResults
}

/**
 * The runtime against BuilderBot (its Baileys provider): chat, start-up and memory; it has no HTTP routes of the kind measured.
 * And against the raw bot on Baileys as published, without the project's patches: what a bot written by hand runs on.
 */
export interface PeerResults {
  builderbot: StoreComparison<'runtime', 'builderbot'>
  published: StoreComparison<'runtime', 'published'> & { http: Record<'POST /groups' | 'GET /groups/:jid', Versus<'runtime', 'published'>> }
}

export function machine(): Machine {
  const cpus = os.cpus()
  return {
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    memoryGb: round(os.totalmem() / 1024 ** 3, 1),
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    dataOnTmpfs: isTmpfs(os.tmpdir()),
  }
}

const TMPFS_MAGIC = 0x01021994

function isTmpfs(dir: string): boolean {
  try {
    return statfsSync(dir).type === TMPFS_MAGIC
  } catch {
    return false
  }
}

/** What one side did in one batch of a measure, chat or HTTP. */
export interface Measured {
  /** Completed round trips or 2xx responses. */
  count: number
  /** Answers other than 2xx, and connection errors: a run with any is not a fair number. */
  failures: number
  /** Wall time of the batch, ms. */
  elapsedMs: number
  /** Send to answer, ms, one per counted operation. */
  latencies: number[]
}

/** Sums of what one side did over the interleaved rounds of a load. */
export interface LoadTally extends Measured {
  /** Bot CPU over the batches, µs. */
  cpuMicros: number
  rounds: RoundFigures[]
}

export function emptyTally(): LoadTally {
  return { count: 0, failures: 0, elapsedMs: 0, latencies: [], cpuMicros: 0, rounds: [] }
}

/** Adds one round's batch and the bot CPU it took to a side's tally. */
export function addRound(tally: LoadTally, batch: Measured, cpuMicros: number): void {
  tally.count += batch.count
  tally.failures += batch.failures
  tally.elapsedMs += batch.elapsedMs
  tally.latencies.push(...batch.latencies)
  tally.cpuMicros += cpuMicros
  tally.rounds.push({
    perSecond: batch.elapsedMs ? round((1000 * batch.count) / batch.elapsedMs, 1) : 0,
    botCpuMicrosPerOp: batch.count ? Math.round(cpuMicros / batch.count) : 0,
  })
}

export function loadSide(t: LoadTally): LoadSide {
  const { p50, p99 } = summarize(t.latencies)
  return {
    count: t.count,
    failures: t.failures,
    perSecond: t.elapsedMs ? round((1000 * t.count) / t.elapsedMs, 1) : 0,
    p50Ms: p50,
    p99Ms: p99,
    botCpuMicrosPerOp: t.count ? Math.round(t.cpuMicros / t.count) : 0,
    rounds: t.rounds,
  }
}

/** A record of one value for each of two names. */
export function both<A extends string, B extends string, T>(a: A, forA: T, b: B, forB: T): Record<A | B, T> {
  return { [a]: forA, [b]: forB } as Record<A | B, T>
}

export function versus<A extends string, B extends string>(a: A, ofA: LoadTally, b: B, ofB: LoadTally): Versus<A, B> {
  const x = loadSide(ofA)
  const y = loadSide(ofB)
  return {
    ...both(a, x, b, y),
    throughputRatio: y.perSecond ? round(x.perSecond / y.perSecond, 3) : 0,
    p99OverheadMs: round(x.p99Ms - y.p99Ms),
    cpuRatio: y.botCpuMicrosPerOp ? round(x.botCpuMicrosPerOp / y.botCpuMicrosPerOp, 3) : 0,
    throughputRatioRange: roundRange(x.rounds, y.rounds, (r) => r.perSecond),
    cpuRatioRange: roundRange(x.rounds, y.rounds, (r) => r.botCpuMicrosPerOp),
  }
}

function roundRange(a: RoundFigures[], b: RoundFigures[], figure: (r: RoundFigures) => number): [number, number] {
  const ratios = a.flatMap((r, i) => {
    const other = b[i] ? figure(b[i]) : 0
    return other ? [figure(r) / other] : []
  })
  return ratios.length ? [round(Math.min(...ratios), 3), round(Math.max(...ratios), 3)] : [0, 0]
}

export function compare(runtime: LoadTally, raw: LoadTally): Comparison {
  return versus('runtime', runtime, 'raw', raw)
}

/** MB per 1,000 commands, fitted to every point from the first on (at least two, else 0). */
export function heapSlope(points: MemoryPoint[]): number {
  if (points.length < 2) return 0
  const n = points.length
  const meanX = points.reduce((sum, p) => sum + p.afterCommands, 0) / n
  const meanY = points.reduce((sum, p) => sum + p.heapUsedMb, 0) / n
  const sxy = points.reduce((sum, p) => sum + (p.afterCommands - meanX) * (p.heapUsedMb - meanY), 0)
  const sxx = points.reduce((sum, p) => sum + (p.afterCommands - meanX) ** 2, 0)
  return sxx ? round((1000 * sxy) / sxx, 3) : 0
}

export function memoryPoint(usage: Usage, afterCommands: number): MemoryPoint {
  return { afterCommands, rssMb: round(usage.rss / 1024 ** 2, 1), heapUsedMb: round(usage.heapUsed / 1024 ** 2, 1) }
}
