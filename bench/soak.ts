// `npm run bench -- --soak N`: the runtime and the raw Baileys bot each answer
// N `!ping`s from many contacts, every contact writing by turns in its 1:1
// chat and in a group it shares with others, as a busy bot is written to all
// day. The two bots take turns round by round (the order reversing each
// round), and after each of its rounds a bot's heap is read after a full
// collection: the curve says whether memory levels off. The results file is
// rewritten after every round, so a long soak cut short still has its curve.
// For the note on memory, not for CI: 100,000 commands take the better part
// of an hour.
//
//   npm run bench -- --soak 100000 [--contacts 40] [--groups 20] [--rounds 20] [--snapshots DIR]
import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import type { BotMessage } from '../emulator/signal/bot-message.js'
import type { SimContact } from '../emulator/signal/index.js'
import type { Usage } from './bot-ipc.js'
import { compileBots } from './compile-bots.js'
import type { BenchOptions } from './options.js'
import { machine, type Machine, type Measured } from './results.js'
import { Side } from './side.js'
import { round, summarize } from './stats.js'

type SoakSide = 'runtime' | 'raw'
const SIDES: SoakSide[] = ['runtime', 'raw']
const MB = 1024 * 1024
/** The part of the run taken as warm-up: the heap after it is what the end is held against. */
const WARM_SHARE = 0.2
/** How far the runtime's heap at the end may be above its heap after warm-up (issue 17). */
export const LEVEL_GOAL_MB = 30

export interface SoakPoint {
  afterCommands: number
  heapUsedMb: number
  rssMb: number
  /** Round trips per second in the round that ended here. */
  perSecond: number
  /** Bot CPU per round trip in that round, µs. */
  cpuMicrosPerOp: number
}

export interface SoakSideResults {
  start: SoakPoint
  curve: SoakPoint[]
  /** Over every round trip of the soak (not the warm-up). */
  p50Ms: number
  p99Ms: number
  samples: number
  cpuMicrosPerOp: number
  /** The point at the end of warm-up, the end, and how far apart their heaps are. */
  warm: SoakPoint | undefined
  end: SoakPoint | undefined
  heapAfterWarmMb: number | undefined
}

export interface SoakResults {
  command: string
  machine: Machine
  options: Pick<BenchOptions, 'soak' | 'contacts' | 'groups' | 'rounds'>
  /** False while the soak is still running (the file is written after every round). */
  finished: boolean
  elapsedS: number
  sides: Partial<Record<SoakSide, SoakSideResults>>
  /** Heap snapshots written with --snapshots, after warm-up and at the end. */
  snapshots: string[]
}

interface Chatter {
  contact: SimContact
  group: string | undefined
}

interface Running {
  side: Side
  chatters: Chatter[]
  start: SoakPoint
  curve: SoakPoint[]
  latencies: number[]
  cpuMicros: number
  count: number
}

export async function runSoak(options: BenchOptions, command: string, progress: (line: string) => void): Promise<SoakResults> {
  const began = performance.now()
  progress('compiling both bots')
  compileBots()
  const running: Running[] = []
  const snapshots: string[] = []
  const results = (finished: boolean): SoakResults => ({
    command,
    machine: machine(),
    options: { soak: options.soak, contacts: options.contacts, groups: options.groups, rounds: options.rounds },
    finished,
    elapsedS: round((performance.now() - began) / 1000, 1),
    sides: Object.fromEntries(running.map((r) => [r.side.name, sideResults(r, options.soak)])),
    snapshots,
  })
  try {
    for (const name of SIDES) running.push(begin(await Side.create(name, options.contacts)))
    progress(`pairing the bots; ${options.contacts} contacts in ${options.groups} groups each`)
    await Promise.all(running.map((r) => r.side.start()))
    for (const r of running) {
      r.chatters = chattersOf(r.side, options.groups)
      // Every chat once, so each bot has met every contact and group before the curve starts: the 1:1
      // chats first, so that every contact and the bot share a session before group messages need one.
      await batch(r, r.chatters.length, 'direct')
      if (options.groups > 0) await batch(r, r.chatters.length, 'group')
      r.start = point(await usage(r.side), 0, undefined)
    }
    const perRound = Math.max(1, Math.ceil(options.soak / options.rounds))
    for (let i = 0; i < options.rounds; i++) {
      for (const r of i % 2 === 0 ? running : [...running].reverse()) {
        const before = await bot(r.side).cpu()
        const measured = await batch(r, perRound)
        const after = await bot(r.side).cpu()
        const cpu = after.cpuMicros - before.cpuMicros
        r.cpuMicros += cpu
        r.count += measured.count
        r.latencies.push(...measured.latencies)
        // The heap after the round's CPU time: its forced collection is the bench's doing, not the round's.
        const at = point(await usage(r.side), r.count, { measured, cpu })
        r.curve.push(at)
        progress(`${r.side.name}: ${at.afterCommands} commands, heap ${at.heapUsedMb} MB, RSS ${at.rssMb} MB, ${at.perSecond} round trips/s`)
        // One snapshot after warm-up and one at the end: compared, they show what the soak left behind.
        const warmRound = Math.max(0, Math.ceil(options.rounds * WARM_SHARE) - 1)
        if (options.snapshots && (i === warmRound || i === options.rounds - 1)) {
          mkdirSync(options.snapshots, { recursive: true })
          snapshots.push(await bot(r.side).heapSnapshot(path.resolve(options.snapshots, `${r.side.name}-${r.count}.heapsnapshot`)))
        }
      }
      writeSoakResults(results(false), options.out)
    }
    return results(true)
  } finally {
    for (const r of running) await r.side.close()
  }
}

function begin(side: Side): Running {
  return { side, chatters: [], start: { afterCommands: 0, heapUsedMb: 0, rssMb: 0, perSecond: 0, cpuMicrosPerOp: 0 }, curve: [], latencies: [], cpuMicros: 0, count: 0 }
}

/** Contact i is in group i mod `groups`; each group is made by its first member, with the bot in it. */
function chattersOf(side: Side, groups: number): Chatter[] {
  const phone = (c: SimContact) => c.jid.split('@')[0] ?? ''
  const groupOf: string[] = []
  for (let g = 0; g < groups; g++) {
    const members = side.contacts.filter((_, i) => i % groups === g)
    const [creator, ...rest] = members
    if (!creator) continue
    groupOf[g] = side.emulator.createGroupAs(phone(creator), `Soak ${g}`, rest.map(phone)).jid
  }
  return side.contacts.map((contact, i) => ({ contact, group: groups > 0 ? groupOf[i % groups] : undefined }))
}

/**
 * `count` round trips, every contact in a closed loop, each writing by turns
 * in its 1:1 chat and in its group (or `only` in one of them).
 */
async function batch(r: Running, count: number, only?: 'direct' | 'group'): Promise<Measured> {
  const { signal } = r.side
  const latencies: number[] = []
  let issued = 0
  const started = performance.now()
  const loop = async ({ contact, group }: Chatter, first: number) => {
    for (let turn = first; issued < count; turn++) {
      issued++
      const inGroup = group !== undefined && (only === undefined ? turn % 2 === 1 : only === 'group')
      const where = inGroup ? { group } : {}
      const sent = performance.now()
      const { id } = await contact.say('!ping', where)
      const [reply] = await signal.repliesTo(id, { timeoutMs: 60_000 })
      if (reply?.text !== 'pong') throw new Error(`${r.side.name}: expected pong, got ${JSON.stringify(reply?.text)}`)
      latencies.push(performance.now() - sent)
    }
  }
  await Promise.all(r.chatters.map((chatter, i) => loop(chatter, i)))
  // The emulator keeps every message the bots sent, for tests to look back at; a soak reads each as it
  // comes, and 100,000 of them would grow the bench's own process: they are let go after each batch.
  ;(signal.replies as BotMessage[]).length = 0
  return { count: latencies.length, failures: 0, elapsedMs: performance.now() - started, latencies }
}

function point(usage: Usage, afterCommands: number, round_: { measured: Measured; cpu: number } | undefined): SoakPoint {
  const { measured, cpu } = round_ ?? { measured: undefined, cpu: 0 }
  return {
    afterCommands,
    heapUsedMb: round(usage.heapUsed / MB, 1),
    rssMb: round(usage.rss / MB, 1),
    perSecond: measured?.elapsedMs ? round((1000 * measured.count) / measured.elapsedMs, 1) : 0,
    cpuMicrosPerOp: measured?.count ? Math.round(cpu / measured.count) : 0,
  }
}

function sideResults(r: Running, total: number): SoakSideResults {
  const { p50, p99 } = summarize(r.latencies)
  const warm = r.curve.find((p) => p.afterCommands >= total * WARM_SHARE)
  const end = r.curve.at(-1)
  return {
    start: r.start,
    curve: r.curve,
    p50Ms: p50,
    p99Ms: p99,
    samples: r.latencies.length,
    cpuMicrosPerOp: r.count ? Math.round(r.cpuMicros / r.count) : 0,
    warm,
    end,
    heapAfterWarmMb: warm && end && end !== warm ? round(end.heapUsedMb - warm.heapUsedMb, 1) : undefined,
  }
}

async function usage(side: Side) {
  return bot(side).usage()
}

function bot(side: Side) {
  if (!side.bot) throw new Error(`${side.name}: the bot is not running`)
  return side.bot
}

export function writeSoakResults(results: SoakResults, out: string): void {
  writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`)
}

/** The heap curve of both bots, then latency and CPU over the whole soak, and the levelling off. */
export function soakTable(results: SoakResults): string {
  const { runtime, raw } = results.sides
  if (!runtime || !raw) return 'The soak did not get as far as both bots.'
  const rows = runtime.curve.map((p, i) => {
    const q = raw.curve[i]
    return `| ${p.afterCommands.toLocaleString('en')} | ${p.heapUsedMb} | ${q?.heapUsedMb ?? ''} | ${p.rssMb} | ${q?.rssMb ?? ''} | ${p.perSecond} | ${q?.perSecond ?? ''} |`
  })
  const level = (s: SoakSideResults) =>
    s.warm && s.end && s.heapAfterWarmMb !== undefined
      ? `${s.heapAfterWarmMb >= 0 ? '+' : ''}${s.heapAfterWarmMb} MB from ${s.warm.afterCommands.toLocaleString('en')} to ${s.end.afterCommands.toLocaleString('en')} commands`
      : 'too few rounds to tell'
  const met = runtime.heapAfterWarmMb === undefined ? 'not judged' : runtime.heapAfterWarmMb <= LEVEL_GOAL_MB ? 'met' : 'NOT met'
  return [
    '| commands | runtime heap (MB) | raw heap (MB) | runtime RSS (MB) | raw RSS (MB) | runtime round trips/s | raw round trips/s |',
    '|---:|---:|---:|---:|---:|---:|---:|',
    `| after warm-up | ${runtime.start.heapUsedMb} | ${raw.start.heapUsedMb} | ${runtime.start.rssMb} | ${raw.start.rssMb} | | |`,
    ...rows,
    '',
    `Round trips over the soak: runtime p50 ${runtime.p50Ms} ms, p99 ${runtime.p99Ms} ms, ${runtime.cpuMicrosPerOp} µs CPU each (${runtime.samples} samples); raw p50 ${raw.p50Ms} ms, p99 ${raw.p99Ms} ms, ${raw.cpuMicrosPerOp} µs CPU each (${raw.samples} samples).`,
    `Heap after warm-up: runtime ${level(runtime)}; raw ${level(raw)}.`,
    `${met}: the runtime's heap at the end within ${LEVEL_GOAL_MB} MB of its heap after warm-up (the first ${WARM_SHARE * 100} % of the commands).`,
  ].join('\n')
}
