// One bench run: both sides up, then each measure with the two sides
// interleaved round by round (the order alternating: runtime-raw, raw-runtime,
// …), so that whatever else the machine does lands on both alike.
import type { Usage } from './bot-ipc.js'
import { pingBatch } from './chat-load.js'
import { httpRun, type HttpTarget } from './http-load.js'
import type { BotProcess, StartTimes } from './bot-process.js'
import type { BenchOptions } from './options.js'
import { compare, emptyTally, memoryPoint, type Comparison, type LoadTally, type MemorySide, type Results, type StartSide, machine } from './results.js'
import { API_KEY, Side, type SideName } from './side.js'
import { median, round } from './stats.js'

export async function runBench(options: BenchOptions, command: string, progress: (line: string) => void = () => {}): Promise<Results> {
  const began = performance.now()
  const sides = [await Side.create('runtime', options.contacts, options.profile, options.aa ? 'raw' : 'runtime'), await Side.create('raw', options.contacts, options.profile)] as const
  try {
    progress('pairing both bots')
    // Both at once (to save time) unless this is the only start there will be, and so the timed one.
    const first = options.starts === 0 ? [await sides[0].start(), await sides[1].start()] : await Promise.all(sides.map((side) => side.start()))
    const startup = options.starts === 0 ? firstStarts(first) : await timeStarts(sides, options, progress)
    const { chat, memory } = await chatPhase(sides, options, progress)
    const http = await httpPhase(sides, options, progress)
    return {
      command,
      machine: machine(),
      options: {
        contacts: options.contacts,
        commands: options.commands,
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
  if (options.warmup > 0) {
    progress(`chat: warm-up, ${options.warmup} round trip(s) per contact`)
    for (const side of sides) await pingBatch(side.signal, side.contacts, options.warmup * side.contacts.length)
  }
  const tallies: Record<SideName, LoadTally> = { runtime: emptyTally(), raw: emptyTally() }
  const warm: Partial<Record<SideName, Usage>> = {}
  const perRound = Math.max(1, Math.ceil(options.commands / options.rounds))
  for (let i = 0; i < options.rounds; i++) {
    progress(`chat: round ${i + 1}/${options.rounds}, ${perRound} round trips per bot, ${options.contacts} contacts`)
    for (const side of inOrder(sides, i)) {
      const before = await bot(side).usage()
      const batch = await pingBatch(side.signal, side.contacts, perRound)
      const after = await bot(side).usage()
      const tally = tallies[side.name]
      tally.count += batch.roundTrips
      tally.elapsedMs += batch.elapsedMs
      tally.latencies.push(...batch.latencies)
      tally.cpuMicros += after.cpuMicros - before.cpuMicros
      if (i === 0) warm[side.name] = after
    }
  }
  const memory = {} as Record<SideName, MemorySide>
  for (const side of sides) {
    const sent = options.warmup * options.contacts
    const end = memoryPoint(await bot(side).usage(), sent + tallies[side.name].count)
    const warmPoint = memoryPoint(warm[side.name] ?? atStart[side.name], sent + Math.min(perRound, tallies[side.name].count))
    memory[side.name] = { start: memoryPoint(atStart[side.name], 0), warm: warmPoint, end, heapGrowthMb: round(end.heapUsedMb - warmPoint.heapUsedMb, 1) }
  }
  return { chat: compare(tallies.runtime, tallies.raw), memory }
}

const GROUP_BODY = JSON.stringify({ name: 'Bench group', participants: ['15550200000@s.whatsapp.net'] })

async function httpPhase(sides: Pair, options: BenchOptions, progress: (line: string) => void): Promise<Results['http']> {
  // The runtime asks for its API key; the bare baseline has no auth at all.
  const headers = (side: Side): Record<string, string> => (side.name === 'runtime' ? { authorization: API_KEY } : {})
  const groupOf: Partial<Record<SideName, string>> = {}
  for (const side of sides) groupOf[side.name] = await createGroup(side, headers(side))
  const targets: Record<keyof Results['http'], (side: Side) => HttpTarget> = {
    'POST /groups': (side) => ({ url: `${side.url}/groups`, method: 'POST', headers: headers(side), body: GROUP_BODY }),
    'GET /groups/:jid': (side) => ({ url: `${side.url}/groups/${groupOf[side.name] ?? ''}`, method: 'GET', headers: headers(side) }),
  }
  const out = {} as Results['http']
  for (const [route, target] of Object.entries(targets) as [keyof Results['http'], (side: Side) => HttpTarget][]) {
    if (options.httpWarmup > 0) {
      progress(`http: ${route} warm-up, ${options.httpWarmup} s per bot`)
      for (const side of sides) await httpRun(target(side), options.connections, options.httpWarmup)
    }
    const tallies: Record<SideName, LoadTally> = { runtime: emptyTally(), raw: emptyTally() }
    for (let i = 0; i < options.rounds; i++) {
      progress(`http: ${route} round ${i + 1}/${options.rounds}, ${options.duration} s per bot at ${options.connections} connections`)
      for (const side of inOrder(sides, i)) {
        const before = await bot(side).usage()
        const run = await httpRun(target(side), options.connections, options.duration)
        const after = await bot(side).usage()
        const tally = tallies[side.name]
        tally.count += run.requests
        tally.failures += run.failures
        tally.elapsedMs += run.elapsedMs
        tally.latencies.push(...run.latencies)
        tally.cpuMicros += after.cpuMicros - before.cpuMicros
      }
    }
    out[route] = compare(tallies.runtime, tallies.raw)
  }
  return out
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
