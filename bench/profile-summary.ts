// Reads V8 CPU profiles (node --cpu-prof) and says where the time went: self
// time by place (our core, a plugin, each package, node itself) and the
// hottest functions, as shares of the profiled time.
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'

interface ProfileNode {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number }
  children?: number[]
}

interface CpuProfile {
  nodes: ProfileNode[]
  samples: number[]
  timeDeltas: number[]
}

export interface Share {
  name: string
  percent: number
}

export interface ProfileSummary {
  /** Profiled time with the idle and GC pseudo-frames left out, ms. */
  busyMs: number
  byPlace: Share[]
  topFunctions: Share[]
}

/** Where a frame's code lives: a package under node_modules, a folder of ours, or node. */
export function placeOf(url: string): string {
  if (!url) return '(native)'
  const modules = url.lastIndexOf('node_modules/')
  if (modules >= 0) {
    const rest = url.slice(modules + 'node_modules/'.length).split('/')
    return rest[0]?.startsWith('@') ? `${rest[0]}/${rest[1]}` : (rest[0] ?? url)
  }
  if (url.startsWith('node:')) return 'node'
  const ours = /\/(core|plugins|bench|emulator)\/(?:([\w-]+)\/)?/.exec(url)
  if (ours) return ours[1] === 'core' && ours[2] ? `core/${ours[2]}` : (ours[1] ?? url)
  return url
}

export function summarizeProfile(profile: CpuProfile, top = 12): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]))
  const self = new Map<number, number>()
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)))
  const places = new Map<string, number>()
  const functions = new Map<string, number>()
  let busy = 0
  for (const [id, micros] of self) {
    const frame = byId.get(id)?.callFrame
    if (!frame || frame.functionName === '(idle)' || frame.functionName === '(program)') continue
    busy += micros
    const place = frame.functionName === '(garbage collector)' ? '(gc)' : placeOf(frame.url)
    places.set(place, (places.get(place) ?? 0) + micros)
    const fn = `${frame.functionName || '(anonymous)'} ${place}${frame.url ? `:${path.basename(frame.url)}:${frame.lineNumber + 1}` : ''}`
    functions.set(fn, (functions.get(fn) ?? 0) + micros)
  }
  const shares = (m: Map<string, number>) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, micros]) => ({ name, percent: Math.round((1000 * micros) / busy) / 10 }))
  return { busyMs: Math.round(busy / 1000), byPlace: shares(places), topFunctions: shares(functions) }
}

/** The main thread's profile of the last process that wrote into `dir` (tsx's loader thread writes one too). */
export function readProfile(dir: string): CpuProfile {
  // CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile; the main thread is 0.
  const file = readdirSync(dir)
    .filter((f) => /\.\d+\.0\.\d+\.cpuprofile$/.test(f))
    .sort()
    .pop()
  if (!file) throw new Error(`no .cpuprofile in ${dir}`)
  return JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as CpuProfile
}

// `tsx bench/profile-summary.ts <dir>` prints the summary of a profile.
if (process.argv[1] && import.meta.url.endsWith(path.basename(process.argv[1]))) {
  const summary = summarizeProfile(readProfile(process.argv[2] ?? '.'), Number(process.argv[3] ?? 25))
  console.log(`busy ${summary.busyMs} ms`)
  for (const s of summary.byPlace) console.log(`${String(s.percent).padStart(5)}%  ${s.name}`)
  console.log('')
  for (const s of summary.topFunctions) console.log(`${String(s.percent).padStart(5)}%  ${s.name}`)
}
