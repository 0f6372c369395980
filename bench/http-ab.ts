// Two runtimes at once under the same `POST /groups` load, to tell a small
// change apart: A is this checkout's runtime, B another checkout's (--against,
// e.g. a `git worktree` of the commit before the change, with `npm ci` and
// `npm run build` done there) or this one with other environment variables
// (--env-b). Rounds taken in turn move by ± 15 % on a shared machine; loaded at
// the same time, pinned to the same core, both bots meet the same interference,
// and the ratio of their CPU per request is what is compared. An A/A run (no
// --against, no --env-b) shows how far that ratio moves by itself. With
// --chat the load is chat instead: four contacts each sending `!ping` and
// waiting for the answer, and the figure is CPU per round trip.
//
// Linux with two cores or more: the bench (load and emulators) runs on the
// first, both bots on the second.
//
//   node --import tsx bench/http-ab.ts [rounds=12] [--chat] [--against <checkout>] [--env-a JSON] [--env-b JSON]
import './quiet-libsignal.js'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { compileBots } from './compile-bots.js'
import { httpRun, type HttpTarget } from './http-load.js'
import { pingBatch } from './chat-load.js'
import type { Measured } from './results.js'
import { allowedCpus, pin } from './pin.js'
import { assertUnpaced } from './paced.js'
import { API_KEY, GROUP_BODY, Side } from './side.js'

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { against: { type: 'string' }, chat: { type: 'boolean', default: false }, 'env-a': { type: 'string' }, 'env-b': { type: 'string' } },
})
const rounds = Number(positionals[0] ?? 12)
if (!Number.isInteger(rounds) || rounds < 1) throw new Error(`rounds must be a whole number of at least 1, not '${positionals[0]}'`)
const envOf = (flag: 'env-a' | 'env-b'): Record<string, string> => {
  const text = values[flag]
  if (text === undefined) return {}
  try {
    const env = JSON.parse(text) as unknown
    if (env !== null && typeof env === 'object' && !Array.isArray(env) && Object.values(env).every((v) => typeof v === 'string')) return env as Record<string, string>
  } catch {
    // Said below, with what was given.
  }
  throw new Error(`--${flag} takes a JSON object of strings, such as '{"LOG_LEVEL":"warn"}', not ${text}`)
}
const against = values.against === undefined ? undefined : path.resolve(values.against)
const [benchCpu, botCpu] = allowedCpus()
if (botCpu === undefined) throw new Error('http-ab.ts puts the bench and the bots on a core each, and this process may use fewer than two (or is not on Linux)')
pin(process.pid, benchCpu!)
const SECONDS = 4
const CONNECTIONS = 10
const CONTACTS = 4
const ROUND_TRIPS = 250
const target = (side: Side): HttpTarget => ({ url: `${side.url}/groups`, method: 'POST', headers: { authorization: API_KEY }, body: GROUP_BODY })
const chat = values.chat === true
const unit = chat ? 'round trip' : 'request'
const load = (side: Side, warmUp = false): Promise<Measured> =>
  chat ? pingBatch(side.signal, side.contacts, warmUp ? 10 * CONTACTS : ROUND_TRIPS, side.quotes) : httpRun(target(side), CONNECTIONS, warmUp ? 3 : SECONDS)

compileBots()
if (against) compileBots(against)
const a = await Side.create('runtime', chat ? CONTACTS : 1, undefined, 'runtime', envOf('env-a'))
const b = await Side.create('runtime', chat ? CONTACTS : 1, undefined, 'runtime', envOf('env-b'), against)
const sides = [a, b]
process.stdout.write(`A: this checkout${values['env-a'] ? ` with ${values['env-a']}` : ''}; B: ${against ?? 'this checkout'}${values['env-b'] ? ` with ${values['env-b']}` : ''}\n`)
try {
  await Promise.all(sides.map((s) => s.start()))
  for (const s of sides) pin(s.bot!.pid!, botCpu)
  await Promise.all(sides.map((s) => load(s, true)))
  const cpu = [0, 0]
  const count = [0, 0]
  const ratios: number[] = []
  for (let i = 0; i < rounds; i++) {
    const before = await Promise.all(sides.map((s) => s.bot!.cpu()))
    const runs = await Promise.all(sides.map((s) => load(s)))
    const after = await Promise.all(sides.map((s) => s.bot!.cpu()))
    const perOperation = sides.map((s, k) => {
      if (runs[k]!.failures) throw new Error(`${k ? 'B' : 'A'}: ${runs[k]!.failures} ${unit}s failed`)
      const used = after[k]!.cpuMicros - before[k]!.cpuMicros
      cpu[k]! += used
      count[k]! += runs[k]!.count
      return used / runs[k]!.count
    })
    ratios.push(perOperation[1]! / perOperation[0]!)
    process.stdout.write(`round ${i + 1}: A ${perOperation[0]!.toFixed(0)} µs (${runs[0]!.count} ${unit}s), B ${perOperation[1]!.toFixed(0)} µs (${runs[1]!.count}): B/A × ${ratios.at(-1)!.toFixed(3)}\n`)
  }
  // Chat sends no group calls; its own pacing is opened as wide in bench/runtime-bot.ts.
  if (!chat) for (const [k, s] of sides.entries()) await assertUnpaced(k ? 'B' : 'A', s.url, API_KEY)
  const [perA, perB] = [cpu[0]! / count[0]!, cpu[1]! / count[1]!]
  const sorted = [...ratios].sort((x, y) => x - y)
  const median = sorted.length % 2 ? sorted[(sorted.length - 1) / 2]! : (sorted[sorted.length / 2 - 1]! + sorted[sorted.length / 2]!) / 2
  process.stdout.write(`CPU per ${unit}: A ${perA.toFixed(0)} µs, B ${perB.toFixed(0)} µs (B − A ${perB >= perA ? '+' : '−'} ${Math.abs(perB - perA).toFixed(0)} µs)\n`)
  process.stdout.write(`B/A: × ${(perB / perA).toFixed(3)} over all ${unit}s, median of the rounds × ${median.toFixed(3)}, rounds from × ${sorted[0]!.toFixed(3)} to × ${sorted.at(-1)!.toFixed(3)}\n`)
} finally {
  for (const s of sides) await s.close()
}
