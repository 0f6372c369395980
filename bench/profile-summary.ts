// Reads V8 CPU profiles (node --cpu-prof) and says where the time went: self
// time by place (our core, a plugin, each package, node itself) and the
// hottest functions, as shares of the profiled time.
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'

interface ProfileNode {
  id: number
  parent?: number
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
  /** Time spent in our code and in what it calls, up to the point it calls into Baileys: the runtime's own cost. */
  ours: number
  /** That time by our innermost function and the place the time was spent in (`fn → pino`). */
  oursBy: Share[]
}

const isOurs = (place: string) => place === 'core' || place.startsWith('core/') || place === 'plugins'
const isWhatsAppLibrary = (place: string) => place === '@whiskeysockets/baileys' || place === 'libsignal'

/** Where a frame's code lives: a package under node_modules, a folder of ours, or node. */
export function placeOf(url: string): string {
  if (!url) return '(native)'
  const modules = url.lastIndexOf('node_modules/')
  if (modules >= 0) {
    const rest = url.slice(modules + 'node_modules/'.length).split('/')
    return rest[0]?.startsWith('@') ? `${rest[0]}/${rest[1]}` : (rest[0] ?? url)
  }
  if (url.startsWith('node:')) return 'node'
  // The bench runs compiled copies under bench/.bots/, which mirror the repository's folders.
  const ours = /\/(core|plugins|bench|emulator)\/(?:([\w-]+)\/)?/.exec(url.replace('/bench/.bots/', '/'))
  if (ours) return ours[1] === 'core' && ours[2] ? `core/${ours[2]}` : (ours[1] ?? url)
  return url
}

export function summarizeProfile(profile: CpuProfile, top = 12): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]))
  // Profiles list children; the walk up to our code needs parents.
  for (const n of profile.nodes) for (const child of n.children ?? []) byId.get(child)!.parent = n.id
  const self = new Map<number, number>()
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)))
  const places = new Map<string, number>()
  const functions = new Map<string, number>()
  const oursBy = new Map<string, number>()
  let ours = 0
  let busy = 0
  for (const [id, micros] of self) {
    const frame = byId.get(id)?.callFrame
    if (!frame || frame.functionName === '(idle)' || frame.functionName === '(program)') continue
    busy += micros
    const place = frame.functionName === '(garbage collector)' ? '(gc)' : placeOf(frame.url)
    places.set(place, (places.get(place) ?? 0) + micros)
    const fn = `${frame.functionName || '(anonymous)'} ${place}${frame.url ? `:${path.basename(frame.url)}:${frame.lineNumber + 1}` : ''}`
    functions.set(fn, (functions.get(fn) ?? 0) + micros)
    const owner = ourFrame(byId, id)
    if (owner) {
      ours += micros
      const key = `${owner} → ${place}`
      oursBy.set(key, (oursBy.get(key) ?? 0) + micros)
    }
  }
  const shares = (m: Map<string, number>) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, micros]) => ({ name, percent: Math.round((1000 * micros) / busy) / 10 }))
  return {
    busyMs: Math.round(busy / 1000),
    byPlace: shares(places),
    topFunctions: shares(functions),
    ours: Math.round((1000 * ours) / busy) / 10,
    oursBy: shares(oursBy),
  }
}

/** The nearest caller of a sample that is ours, unless Baileys comes first (its cost is the baseline's too). */
function ourFrame(byId: Map<number, ProfileNode>, id: number): string | undefined {
  for (let n = byId.get(id); n; n = n.parent === undefined ? undefined : byId.get(n.parent)) {
    const place = placeOf(n.callFrame.url)
    if (isWhatsAppLibrary(place)) return undefined
    if (isOurs(place)) return `${n.callFrame.functionName || '(anonymous)'} (${place}/${path.basename(n.callFrame.url)})`
  }
  return undefined
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
  console.log(`\n${summary.ours}% in our code and what it calls (Baileys excluded):`)
  for (const s of summary.oursBy) console.log(`${String(s.percent).padStart(5)}%  ${s.name}`)
}
