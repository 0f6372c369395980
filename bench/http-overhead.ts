// POST /groups alone, the runtime against bare Koa, interleaved round by
// round: a minute instead of the whole bench, to measure a change to the HTTP
// path, and to run from two checkouts one after the other (before and after)
// in the same time window. On Linux it says how much of each bot's CPU is its main
// thread's. With a directory, CPU profiles of the bots too
// (summarize them with `npm run bench`'s --profile report, or bench/profile-summary.ts).
//
// A third bot is the runtime's process answering through the baseline's own
// handlers (runtime-bare): it splits the runtime's cost into what its process
// adds to the same Baileys call (events, caches, a bigger heap) and what its
// request path adds (auth, validation, the envelope, idempotency, logs, metrics).
//
// With --published, a fourth bot: the raw bot on Baileys as published
// (bench/peers/baileys, installed on first use), which is what a bot written
// by hand runs on; the raw bot and the runtime run on the project's patched copy.
//
// With --pin (Linux, two cores or more), the bench runs on the first core and
// each bot on the second: a bot's CPU per request then moves less from round
// to round, for telling a small change apart; its collector threads share its core.
//
//   node --import tsx bench/http-overhead.ts [rounds=6] [profileDir] [--pin] [--published]
import './quiet-libsignal.js'
import { compileBots } from './compile-bots.js'
import { httpRun, type HttpTarget } from './http-load.js'
import { allowedCpus, pin } from './pin.js'
import { assertUnpaced } from './paced.js'
import { installPeers } from './peers.js'
import { API_KEY, GROUP_BODY, Side, type SideName } from './side.js'

const pinned = process.argv.includes('--pin')
const published = process.argv.includes('--published')
const [roundsArg, profileDir] = process.argv.slice(2).filter((arg) => !arg.startsWith('--'))
const rounds = Number(roundsArg ?? 6)
const [benchCpu, botCpu] = pinned ? allowedCpus() : []
if (pinned && botCpu === undefined) throw new Error('--pin puts the bench and the bots on a core each, and this process may use fewer than two (or is not on Linux); leave out --pin')
if (benchCpu !== undefined) pin(process.pid, benchCpu)
const SECONDS = 3
const CONNECTIONS = 10

const target = (side: Side): HttpTarget => ({ url: `${side.url}/groups`, method: 'POST', headers: side.name === 'runtime' ? { authorization: API_KEY } : {}, body: GROUP_BODY })

interface Total {
  count: number
  cpu: number
  ms: number
  main: number
  mainSystem: number
}

compileBots()
if (published) installPeers((line) => process.stdout.write(`${line}\n`))
const names: SideName[] = ['runtime', 'runtime-bare', 'raw', ...(published ? (['published'] as const) : [])]
const sides: Side[] = []
for (const name of names) sides.push(await Side.create(name, 1, profileDir))
const perRequest = (t: Total): number => t.cpu / t.count
const signedMicros = (us: number): string => `${us < 0 ? '−' : '+'} ${Math.abs(us).toFixed(0)} µs`
try {
  await Promise.all(sides.map((s) => s.start()))
  for (const s of sides) if (botCpu !== undefined && s.bot?.pid !== undefined) pin(s.bot.pid, botCpu)
  for (const s of sides) await httpRun(target(s), CONNECTIONS, 2)
  const total = new Map<string, Total>()
  for (let i = 0; i < rounds; i++) {
    const figures = new Map<string, { perSecond: number; cpu: number }>()
    // Each bot goes first, between, and last in turn: none is always the one after the same neighbour.
    for (const s of [...sides.slice(i % sides.length), ...sides.slice(0, i % sides.length)]) {
      if (!s.bot) throw new Error(`${s.name}: the bot is not running`)
      const before = await s.bot.cpu()
      const run = await httpRun(target(s), CONNECTIONS, SECONDS)
      const after = await s.bot.cpu()
      if (run.failures) throw new Error(`${s.name}: ${run.failures} requests failed`)
      const cpu = after.cpuMicros - before.cpuMicros
      figures.set(s.name, { perSecond: (1000 * run.count) / run.elapsedMs, cpu: cpu / run.count })
      const sum = total.get(s.name) ?? { count: 0, cpu: 0, ms: 0, main: 0, mainSystem: 0 }
      const main = (after.mainThread?.cpuMicros ?? 0) - (before.mainThread?.cpuMicros ?? 0)
      const mainSystem = (after.mainThread?.systemMicros ?? 0) - (before.mainThread?.systemMicros ?? 0)
      total.set(s.name, { count: sum.count + run.count, cpu: sum.cpu + cpu, ms: sum.ms + run.elapsedMs, main: sum.main + main, mainSystem: sum.mainSystem + mainSystem })
    }
    const [rt, bare, raw, pub] = [figures.get('runtime')!, figures.get('runtime-bare')!, figures.get('raw')!, figures.get('published')]
    const against = pub ? `; published ${pub.perSecond.toFixed(0)}/s ${pub.cpu.toFixed(0)} µs: runtime's throughput × ${(rt.perSecond / pub.perSecond).toFixed(3)}, CPU × ${(rt.cpu / pub.cpu).toFixed(3)}` : ''
    process.stdout.write(
      `round ${i + 1}: runtime ${rt.perSecond.toFixed(0)}/s ${rt.cpu.toFixed(0)} µs, runtime-bare ${bare.cpu.toFixed(0)} µs, raw ${raw.perSecond.toFixed(0)}/s ${raw.cpu.toFixed(0)} µs: ` +
        `throughput × ${(rt.perSecond / raw.perSecond).toFixed(3)}, CPU × ${(rt.cpu / raw.cpu).toFixed(3)} (process × ${(bare.cpu / raw.cpu).toFixed(3)}, path ${signedMicros(rt.cpu - bare.cpu)})${against}\n`,
    )
  }
  await assertUnpaced('runtime', sides[0]!.url, API_KEY)
  const [rt, bare, raw, pub] = [total.get('runtime')!, total.get('runtime-bare')!, total.get('raw')!, total.get('published')]
  const ratio = rt.count / rt.ms / (raw.count / raw.ms)
  // Where the CPU goes: the main thread runs JavaScript and the socket calls; other threads are the collector's helpers, libuv's pool and native code (LMDB).
  // The heap after a full collection: what the bot keeps of the groups it made.
  for (const s of sides) {
    const t = total.get(s.name)!
    const { heapUsed } = await s.bot!.usage()
    const threads = t.main > 0 ? `main thread ${(t.main / t.count).toFixed(0)} µs per request (system ${(t.mainSystem / t.count).toFixed(0)} µs), other threads ${((t.cpu - t.main) / t.count).toFixed(0)} µs, ` : ''
    process.stdout.write(`${s.name}: ${perRequest(t).toFixed(0)} µs per request, ${threads}heap ${(heapUsed / 1e6).toFixed(1)} MB after ${t.count} groups measured\n`)
  }
  process.stdout.write(`all rounds: throughput × ${ratio.toFixed(3)}, CPU per request ${perRequest(rt).toFixed(0)} µs against ${perRequest(raw).toFixed(0)} µs (× ${(perRequest(rt) / perRequest(raw)).toFixed(3)})\n`)
  process.stdout.write(
    `of it: the runtime's process × ${(perRequest(bare) / perRequest(raw)).toFixed(3)} of raw with the same handlers (${signedMicros(perRequest(bare) - perRequest(raw))}), ` +
      `its request path ${signedMicros(perRequest(rt) - perRequest(bare))} (× ${(perRequest(rt) / perRequest(bare)).toFixed(3)} over its process)\n`,
  )
  if (pub) {
    process.stdout.write(
      `against the raw bot on Baileys as published: throughput × ${(rt.count / rt.ms / (pub.count / pub.ms)).toFixed(3)}, CPU per request ${perRequest(rt).toFixed(0)} µs against ${perRequest(pub).toFixed(0)} µs (× ${(perRequest(rt) / perRequest(pub)).toFixed(3)}); ` +
        `the patches save the raw bot ${signedMicros(perRequest(pub) - perRequest(raw))} per request\n`,
    )
  }
} finally {
  for (const s of sides) await s.close()
}
