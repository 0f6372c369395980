// One bench run: both sides up, then each measure with the two sides
// interleaved round by round (the order alternating: runtime-raw, raw-runtime,
// …), so that whatever else the machine does lands on both alike.
import type { Usage } from './bot-ipc.js'
import { pingBatch } from './chat-load.js'
import { httpRun, sequentialRequests, type HttpTarget } from './http-load.js'
import type { BotProcess, StartTimes } from './bot-process.js'
import { compileBots } from './compile-bots.js'
import type { BenchOptions } from './options.js'
import { compare, emptyTally, heapSlope, machine, memoryPoint, type AtRest, type Comparison, type LoadTally, type Measured, type MemoryPoint, type MemorySide, type Results, type StartSide } from './results.js'
import { API_KEY, Side, type SideName } from './side.js'
import { median, round } from './stats.js'

export async function runBench(options: BenchOptions, command: string, progress: (line: string) => void = () => {}): Promise<Results> {
  const began = performance.now()
  progress('compiling both bots')
  compileBots()
  const sides = [await Side.create('runtime', options.contacts, options.profile, options.aa ? 'raw' : 'runtime'), await Side.create('raw', options.contacts, options.profile)] as const
  try {
    progress('pairing both bots')
    // Both at once (to save time) unless this is the only start there will be, and so the timed one.
    const first = options.starts === 0 ? [await sides[0].start(), await sides[1].start()] : await Promise.all(sides.map((side) => side.start()))
    const startup = options.starts === 0 ? firstStarts(first) : await timeStarts(sides, options, progress)
    const { chat, memory } = await chatPhase(sides, options, progress)
    const targets = await httpTargets(sides)
    const atRest = await restPhase(sides, targets, options, progress)
    const http = await httpPhase(sides, targets, options, progress)
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
      },
      elapsedS: round((performance.now() - began) / 1000, 1),
      chat,
      http,
      atRest,
      startup,
      memory,
    }
  } finally {
    for (const side of sides) await side.close()
  }
}

type Pair = readonly [Side, Side]

/** The two sides in the order of round `i`. */
function inOrder(sides: Pair, i: number): Side[] {
  return i % 2 === 0 ? [...sides] : [sides[1], sides[0]]
}

function firstStarts([runtime, raw]: StartTimes[]): Record<SideName, StartSide> {
  const one = (t: StartTimes | undefined): StartSide => {
    const sample = { httpReadyMs: round(t?.httpReadyMs ?? 0, 1), openMs: round(t?.openMs ?? 0, 1) }
    return { ...sample, samples: [sample], pairing: true }
  }
  return { runtime: one(runtime), raw: one(raw) }
}

async function timeStarts(sides: Pair, options: BenchOptions, progress: (line: string) => void): Promise<Record<SideName, StartSide>> {
  progress(`start-up: ${options.starts} timed restart(s) per bot`)
  const samples: Record<SideName, { httpReadyMs: number; openMs: number }[]> = { runtime: [], raw: [] }
  for (let i = 0; i < options.starts; i++) {
    for (const side of inOrder(sides, i)) {
      await side.stopBot()
      const times = await side.start()
      samples[side.name].push({ httpReadyMs: round(times.httpReadyMs, 1), openMs: round(times.openMs, 1) })
    }
  }
  const summary = (s: { httpReadyMs: number; openMs: number }[]): StartSide => ({
    httpReadyMs: median(s.map((x) => x.httpReadyMs)),
    openMs: median(s.map((x) => x.openMs)),
    samples: s,
    pairing: false,
  })
  return { runtime: summary(samples.runtime), raw: summary(samples.raw) }
}

async function chatPhase(sides: Pair, options: BenchOptions, progress: (line: string) => void): Promise<{ chat: Comparison; memory: Record<SideName, MemorySide> }> {
  const atStart = { runtime: await bot(sides[0]).usage(), raw: await bot(sides[1]).usage() }
  const sent = options.warmup * options.contacts
  if (options.warmup > 0) {
    progress(`chat: warm-up, ${options.warmup} round trip(s) per contact`)
    for (const side of sides) await pingBatch(side.signal, side.contacts, sent)
  }
  const samples: Record<SideName, MemoryPoint[]> = { runtime: [], raw: [] }
  const perRound = Math.max(1, Math.ceil(options.commands / options.rounds))
  const chat = await interleaved(sides, options.rounds, {
    progress: (i) => progress(`chat: round ${i + 1}/${options.rounds}, ${perRound} round trips per bot, ${options.contacts} contacts`),
    measure: (side) => pingBatch(side.signal, side.contacts, perRound),
    after: (side, usage, tally) => samples[side.name].push(memoryPoint(usage, sent + tally.count)),
  })
  const memory = {} as Record<SideName, MemorySide>
  for (const side of sides) {
    const curve = samples[side.name]
    const start = memoryPoint(atStart[side.name], 0)
    const warm = curve[0] ?? start
    const end = curve.at(-1) ?? start
    memory[side.name] = { start, samples: curve, warm, end, heapGrowthMb: round(end.heapUsedMb - warm.heapUsedMb, 1), heapSlopeMbPer1k: heapSlope(curve) }
  }
  return { chat, memory }
}

interface Interleaving {
  progress: (round: number) => void
  measure: (side: Side) => Promise<Measured>
  /** Called with the side's usage after each of its rounds and its running tally. */
  after?: (side: Side, usage: Usage, tally: LoadTally) => void
}

/** Runs `measure` on both sides round by round, alternating the order, and compares the sums. */
async function interleaved(sides: Pair, rounds: number, how: Interleaving): Promise<Comparison> {
  const tallies: Record<SideName, LoadTally> = { runtime: emptyTally(), raw: emptyTally() }
  for (let i = 0; i < rounds; i++) {
    how.progress(i)
    for (const side of inOrder(sides, i)) {
      const before = await bot(side).usage()
      const result = await how.measure(side)
      const after = await bot(side).usage()
      const tally = tallies[side.name]
      tally.count += result.count
      tally.failures += result.failures
      tally.elapsedMs += result.elapsedMs
      tally.latencies.push(...result.latencies)
      tally.cpuMicros += after.cpuMicros - before.cpuMicros
      how.after?.(side, after, tally)
    }
  }
  return compare(tallies.runtime, tallies.raw)
}

const GROUP_BODY = JSON.stringify({ name: 'Bench group', participants: ['15550200000@s.whatsapp.net'] })

type Route = keyof Results['http']
type Targets = Record<Route, (side: Side) => HttpTarget>

/** The two routes on each side; the group read is one created here. */
async function httpTargets(sides: Pair): Promise<Targets> {
  // The runtime asks for its API key; the bare baseline has no auth at all.
  const headers = (side: Side): Record<string, string> => (side.name === 'runtime' ? { authorization: API_KEY } : {})
  const groupOf: Partial<Record<SideName, string>> = {}
  for (const side of sides) groupOf[side.name] = await createGroup(side, headers(side))
  return {
    'POST /groups': (side) => ({ url: `${side.url}/groups`, method: 'POST', headers: headers(side), body: GROUP_BODY }),
    'GET /groups/:jid': (side) => ({ url: `${side.url}/groups/${groupOf[side.name] ?? ''}`, method: 'GET', headers: headers(side) }),
  }
}

async function httpPhase(sides: Pair, targets: Targets, options: BenchOptions, progress: (line: string) => void): Promise<Results['http']> {
  const out = {} as Results['http']
  for (const [route, target] of Object.entries(targets) as [Route, (side: Side) => HttpTarget][]) {
    if (options.httpWarmup > 0) {
      progress(`http: ${route} warm-up, ${options.httpWarmup} s per bot`)
      for (const side of sides) await httpRun(target(side), options.connections, options.httpWarmup)
    }
    out[route] = await interleaved(sides, options.rounds, {
      progress: (i) => progress(`http: ${route} round ${i + 1}/${options.rounds}, ${options.duration} s per bot at ${options.connections} connections`),
      measure: (side) => httpRun(target(side), options.connections, options.duration),
    })
  }
  return out
}

/** One request at a time: a single contact pinging, and one caller on each route. */
async function restPhase(sides: Pair, targets: Targets, options: BenchOptions, progress: (line: string) => void): Promise<AtRest> {
  const perRound = Math.max(1, Math.ceil(options.rest / options.rounds))
  const label = (what: string) => (i: number) => progress(`at rest: ${what} round ${i + 1}/${options.rounds}, ${perRound} one at a time per bot`)
  const chat = await interleaved(sides, options.rounds, {
    progress: label('chat !ping'),
    measure: (side) => pingBatch(side.signal, side.contacts.slice(0, 1), perRound),
  })
  const one = (route: Route) => interleaved(sides, options.rounds, { progress: label(route), measure: (side) => sequentialRequests(targets[route](side), perRound) })
  return { chat, 'POST /groups': await one('POST /groups'), 'GET /groups/:jid': await one('GET /groups/:jid') }
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
