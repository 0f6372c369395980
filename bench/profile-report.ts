// With --profile: where each bot spent its CPU, and how much of the
// runtime's went to its own code rather than to Baileys.
import { existsSync } from 'node:fs'
import path from 'node:path'
import { readProfile, summarizeProfile, type Share } from './profile-summary.js'
import type { SideName } from './side.js'

const list = (shares: Share[]) => shares.map((s) => `  ${String(s.percent).padStart(5)}%  ${s.name}`).join('\n')

export function profileReport(dir: string): string {
  const out: string[] = []
  const sides: SideName[] = ['runtime', 'raw', 'files', 'lmdb-cached', 'builderbot', 'published']
  // The store sides run only in some runs; a profile is there for each side that ran.
  for (const side of sides.filter((s) => existsSync(path.join(dir, s)))) {
    const summary = summarizeProfile(readProfile(path.join(dir, side)), 10)
    out.push(`${side}: ${summary.busyMs} ms of CPU profiled (start-up included), by place:`, list(summary.byPlace))
    out.push(`${side}: hottest functions:`, list(summary.topFunctions))
    if (side === 'runtime' || side === 'files' || side === 'lmdb-cached') out.push(`${side}: ${summary.ours}% in our code and what it calls short of Baileys, by our function → where:`, list(summary.oursBy))
  }
  return out.join('\n')
}
