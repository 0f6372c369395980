// One bench run: every side up, then each measure with the sides interleaved
// round by round, the order reversing each round (runtime, raw, files, then
// files, raw, runtime, …), so that whatever else the machine does lands on all
// of them alike. The HTTP measures take the runtime and the raw bot only: the
// auth store is not on their path.
import type { Usage } from './bot-ipc.js'
import { pingBatch } from './chat-load.js'
import { httpRun, sequentialRequests, type HttpTarget } from './http-load.js'
import { assertUnpaced } from './paced.js'
import type { BotProcess, StartTimes } from './bot-process.js'
import { compileBots } from './compile-bots.js'
import type { BenchOptions } from './options.js'
import { installPeers } from './peers.js'
import {
  addRound,
  both,
  compare,
  emptyTally,
  heapSlope,
  machine,
  memoryPoint,
  versus,
  type AtRest,
  type LoadTally,
  type Measured,
  type MemoryPoint,
  type MemorySide,
  type PeerResults,
  type Results,
  type StartSide,
  type StoreComparison,
  type StoreResults,
} from './results.js'
import { API_KEY, GROUP_BODY, Side, type SideName } from './side.js'
import { median, round } from './stats.js'

export async function runBench(options: BenchOptions, command: string, progress: (line: string) => void = () => {}): Promise<Results> {
  const began = performance.now()
  progress('compiling both bots')
  compileBots()
  if (options.peers) installPeers(progress)
  const names = sideNames(options)
  const sides: Side[] = []
  try {
    for (const name of names) sides.push(await Side.create(name, options.contacts, options.profile, options.aa && name === 'runtime' ? 'raw' : name))
    const pair = [side(sides, 'runtime'), side(sides, 'raw')] as const
    // With --peers the raw bot on Baileys as published answers the same routes; BuilderBot has none of the kind measured.
    const httpSides = sides.filter((s) => s.name === 'runtime' || s.name === 'raw' || s.name === 'published')
    progress(`pairing the bots: ${names.join(', ')}`)
    // All at once (to save time) unless this is the only start there will be, and so the timed one.
    let startup: PerSide<StartSide>
    if (options.starts === 0) startup = await firstStarts(sides)
    else {
      await Promise.all(sides.map((s) => s.start()))
      startup = await timeStarts(sides, options, progress)
    }
    const { chat, memory } = await chatPhase(sides, options, progress)
    const targets = await httpTargets(httpSides)
    const { atRest, chatAtRest } = await restPhase(sides, pair, targets, options, progress)
    const httpTallies = await httpPhase(httpSides, targets, options, progress)
    const http = { 'POST /groups': runtimeVsRaw(httpTallies['POST /groups']), 'GET /groups/:jid': runtimeVsRaw(httpTallies['GET /groups/:jid']) }
    const measures = { chat, atRest: chatAtRest, startup, memory }
    const stores = storeResults(measures)
    const peers = peerResults(measures, httpTallies)
    return {
      command,
      machine: machine(),
      options: {
        contacts: options.contacts,
        commands: options.commands,
        rest: options.rest,
        warmup: options.warmup,
        rounds: options.rounds,
        connections: options.connections,
        duration: options.duration,
        httpWarmup: options.httpWarmup,
        starts: options.starts,
        quick: options.quick,
        aa: options.aa,
        stores: options.stores,
        peers: options.peers,
      },
      elapsedS: round((performance.now() - began) / 1000, 1),
      chat: runtimeVsRaw(chat),
      http,
      atRest,
      startup: { runtime: of(startup, 'runtime'), raw: of(startup, 'raw') },
      memory: { runtime: of(memory, 'runtime'), raw: of(memory, 'raw') },
      ...(stores ? { stores } : {}),
      ...(peers ? { peers } : {}),
    }
  } finally {
    for (const s of sides) await s.close()
  }
}

/**
 * The bots of a run, in the order of its even rounds: the runtime and the raw
 * bot, then the runtime on the file store always (the comparison the LMDB
 * store has to stand), and behind Baileys' key cache with --stores. An A/A run
 * has no runtime to put on another store.
 */
export function sideNames(options: Pick<BenchOptions, 'aa' | 'stores' | 'peers'>): SideName[] {
  if (options.aa) return ['runtime', 'raw']
  const stores: SideName[] = options.stores ? ['runtime', 'raw', 'files', 'lmdb-cached'] : ['runtime', 'raw', 'files']
  return options.peers ? [...stores, 'builderbot', 'published'] : stores
}

type PerSide<T> = Partial<Record<SideName, T>>
type Tallies = PerSide<LoadTally>

function of<T>(values: PerSide<T>, name: SideName): T {
  const value = values[name]
  if (value === undefined) throw new Error(`${name}: not measured`)
  return value
}

const tally = of<LoadTally>
const runtimeVsRaw = (tallies: Tallies) => compare(tally(tallies, 'runtime'), tally(tallies, 'raw'))

function side(sides: readonly Side[], name: SideName): Side {
  const found = sides.find((s) => s.name === name)
  if (!found) throw new Error(`${name}: no such side`)
  return found
}

/** The sides in the order of round `i`. */
function inOrder<T>(sides: readonly T[], i: number): T[] {
  return i % 2 === 0 ? [...sides] : [...sides].reverse()
}

/** The first start of each side in turn, pairing included (`--starts 0`). */
async function firstStarts(sides: readonly Side[]): Promise<PerSide<StartSide>> {
  const out: PerSide<StartSide> = {}
  for (const s of sides) {
    const times = await s.start()
    const sample = { httpReadyMs: round(times.httpReadyMs, 1), openMs: round(times.openMs, 1) }
    out[s.name] = { ...sample, loginMs: round(sample.openMs - sample.httpReadyMs, 1), samples: [sample], pairing: true }
  }
  return out
}

async function timeStarts(sides: readonly Side[], options: BenchOptions, progress: (line: string) => void): Promise<PerSide<StartSide>> {
  progress(`start-up: ${options.starts} timed restart(s) per bot`)
  const samples: PerSide<StartTimes[]> = {}
  for (let i = 0; i < options.starts; i++) {
    for (const s of inOrder(sides, i)) {
      await s.stopBot()
      const times = await s.start()
      ;(samples[s.name] ??= []).push({ httpReadyMs: round(times.httpReadyMs, 1), openMs: round(times.openMs, 1) })
    }
  }
  const out: PerSide<StartSide> = {}
  for (const [name, s] of Object.entries(samples) as [SideName, StartTimes[]][]) {
    out[name] = {
      httpReadyMs: median(s.map((x) => x.httpReadyMs)),
      openMs: median(s.map((x) => x.openMs)),
      loginMs: median(s.map((x) => round(x.openMs - x.httpReadyMs, 1))),
      samples: s,
      pairing: false,
    }
  }
  return out
}

async function chatPhase(sides: readonly Side[], options: BenchOptions, progress: (line: string) => void): Promise<{ chat: Tallies; memory: PerSide<MemorySide> }> {
  const atStart: PerSide<Usage> = {}
  for (const s of sides) atStart[s.name] = await bot(s).usage()
  const sent = options.warmup * options.contacts
  if (options.warmup > 0) {
    progress(`chat: warm-up, ${options.warmup} round trip(s) per contact`)
    for (const s of sides) await pingBatch(s.signal, s.contacts, sent, s.quotes)
  }
  const samples: PerSide<MemoryPoint[]> = {}
  const perRound = Math.max(1, Math.ceil(options.commands / options.rounds))
  const chat = await interleaved(sides, options.rounds, {
    progress: (i) => progress(`chat: round ${i + 1}/${options.rounds}, ${perRound} round trips per bot, ${options.contacts} contacts`),
    measure: (s) => pingBatch(s.signal, s.contacts, perRound, s.quotes),
    after: (s, usage, soFar) => (samples[s.name] ??= []).push(memoryPoint(usage, sent + soFar.count)),
  })
  const memory: PerSide<MemorySide> = {}
  for (const s of sides) {
    const curve = samples[s.name] ?? []
    const start = memoryPoint(of(atStart, s.name), 0)
    const warm = curve[0] ?? start
    const end = curve.at(-1) ?? start
    memory[s.name] = { start, samples: curve, warm, end, heapGrowthMb: round(end.heapUsedMb - warm.heapUsedMb, 1), heapSlopeMbPer1k: heapSlope(curve) }
  }
  return { chat, memory }
}

interface Interleaving {
  progress: (round: number) => void
  measure: (side: Side) => Promise<Measured>
  /** Called with the side's usage after each of its rounds and its running tally. */
  after?: (side: Side, usage: Usage, tally: LoadTally) => void
}

/** Runs `measure` on every side round by round, reversing the order each round, and sums each side's batches. */
async function interleaved(sides: readonly Side[], rounds: number, how: Interleaving): Promise<Tallies> {
  const tallies: Tallies = {}
  for (let i = 0; i < rounds; i++) {
    how.progress(i)
    for (const s of inOrder(sides, i)) {
      const before = await bot(s).cpu()
      const result = await how.measure(s)
      const after = await bot(s).cpu()
      const sum = (tallies[s.name] ??= emptyTally())
      addRound(sum, result, after.cpuMicros - before.cpuMicros)
      // The memory only where it is wanted, and outside the window: its forced collection is the bench's doing.
      if (how.after) how.after(s, await bot(s).usage(), sum)
    }
  }
  return tallies
}

interface Measures {
  chat: Tallies
  atRest: Tallies
  startup: PerSide<StartSide>
  memory: PerSide<MemorySide>
}

/** Side A (named `a` in the results) against side B, on every measure both took part in. */
function pairOf(m: Measures) {
  return <A extends string, B extends string>(a: A, sideA: SideName, b: B, sideB: SideName): StoreComparison<A, B> => ({
    chat: versus(a, tally(m.chat, sideA), b, tally(m.chat, sideB)),
    atRest: versus(a, tally(m.atRest, sideA), b, tally(m.atRest, sideB)),
    startup: both(a, of(m.startup, sideA), b, of(m.startup, sideB)),
    memory: both(a, of(m.memory, sideA), b, of(m.memory, sideB)),
  })
}

/** With --peers: the runtime against the peer framework, and against the raw bot on Baileys as published (HTTP too). */
function peerResults(m: Measures, http: Record<Route, Tallies>): PeerResults | undefined {
  if (!m.chat.builderbot) return undefined
  const onRoute = (route: Route) => versus('runtime', tally(http[route], 'runtime'), 'published', tally(http[route], 'published'))
  return {
    builderbot: pairOf(m)('runtime', 'runtime', 'builderbot', 'builderbot'),
    published: { ...pairOf(m)('runtime', 'runtime', 'published', 'published'), http: { 'POST /groups': onRoute('POST /groups'), 'GET /groups/:jid': onRoute('GET /groups/:jid') } },
  }
}

/** The store rows: the runtime on LMDB (the `runtime` side) against each other store that ran. */
function storeResults(m: Measures): StoreResults | undefined {
  const pair = pairOf(m)
  if (!m.chat.files) return undefined
  return {
    files: pair('lmdb', 'runtime', 'files', 'files'),
    ...(m.chat['lmdb-cached'] ? { cached: pair('cached', 'lmdb-cached', 'lmdb', 'runtime') } : {}),
  }
}


/** The runtime and the raw bot. */
type Pair = readonly [Side, Side]
type Route = keyof Results['http']
type Targets = Record<Route, (side: Side) => HttpTarget>

/** The two routes on each side; the group read is one created here. */
async function httpTargets(sides: readonly Side[]): Promise<Targets> {
  // The runtime asks for its API key; the bare baseline has no auth at all.
  const headers = (side: Side): Record<string, string> => (side.name === 'runtime' ? { authorization: API_KEY } : {})
  const groupOf: Partial<Record<SideName, string>> = {}
  for (const side of sides) groupOf[side.name] = await createGroup(side, headers(side))
  return {
    'POST /groups': (side) => ({ url: `${side.url}/groups`, method: 'POST', headers: headers(side), body: GROUP_BODY }),
    'GET /groups/:jid': (side) => ({ url: `${side.url}/groups/${groupOf[side.name] ?? ''}`, method: 'GET', headers: headers(side) }),
  }
}

async function httpPhase(sides: readonly Side[], targets: Targets, options: BenchOptions, progress: (line: string) => void): Promise<Record<Route, Tallies>> {
  const out = {} as Record<Route, Tallies>
  for (const [route, target] of Object.entries(targets) as [Route, (side: Side) => HttpTarget][]) {
    if (options.httpWarmup > 0) {
      progress(`http: ${route} warm-up, ${options.httpWarmup} s per bot`)
      for (const side of sides) await httpRun(target(side), options.connections, options.httpWarmup)
    }
    const tallies = await interleaved(sides, options.rounds, {
      progress: (i) => progress(`http: ${route} round ${i + 1}/${options.rounds}, ${options.duration} s per bot at ${options.connections} connections`),
      measure: (side) => httpRun(target(side), options.connections, options.duration),
    })
    out[route] = tallies
  }
  for (const side of sides) if (side.name === 'runtime') await assertUnpaced(side.name, side.url, API_KEY)
  return out
}

/** One request at a time: a single contact pinging (on every side), and one caller on each route (the runtime and the raw bot). */
async function restPhase(sides: readonly Side[], pair: Pair, targets: Targets, options: BenchOptions, progress: (line: string) => void): Promise<{ atRest: AtRest; chatAtRest: Tallies }> {
  const perRound = Math.max(1, Math.ceil(options.rest / options.rounds))
  const label = (what: string) => (i: number) => progress(`at rest: ${what} round ${i + 1}/${options.rounds}, ${perRound} one at a time per bot`)
  const chatAtRest = await interleaved(sides, options.rounds, {
    progress: label('chat !ping'),
    measure: (s) => pingBatch(s.signal, s.contacts.slice(0, 1), perRound, s.quotes),
  })
  const one = async (route: Route) => runtimeVsRaw(await interleaved(pair, options.rounds, { progress: label(route), measure: (s) => sequentialRequests(targets[route](s), perRound) }))
  return { atRest: { chat: runtimeVsRaw(chatAtRest), 'POST /groups': await one('POST /groups'), 'GET /groups/:jid': await one('GET /groups/:jid') }, chatAtRest }
}

async function createGroup(side: Side, headers: Record<string, string>): Promise<string> {
  const response = await fetch(`${side.url}/groups`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: GROUP_BODY })
  const body = (await response.json()) as { data?: { jid?: string }; id?: string }
  // The runtime answers in its envelope; Baileys' own metadata names the group `id`.
  const jid = body.data?.jid ?? body.id
  if (!response.ok || !jid) throw new Error(`${side.name}: POST /groups answered ${response.status}: ${JSON.stringify(body)}`)
  return jid
}

function bot(side: Side): BotProcess {
  if (!side.bot) throw new Error(`${side.name}: the bot is not running`)
  return side.bot
}
