// Both bots are compiled before they are started (see tsconfig.bots.json);
// incremental, so a run after the first takes a second or two.
import { execFileSync } from 'node:child_process'
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const bench = path.dirname(fileURLToPath(import.meta.url))
/** Where the compiled bots and what they import land, mirroring the repository's folders. */
export const BOTS_DIR = path.join(bench, '.bots')

export function compileBots(): void {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc')
  try {
    execFileSync(process.execPath, [tsc, '-p', path.join(bench, 'tsconfig.bots.json')], { stdio: 'pipe' })
  } catch (error) {
    const output = (error as { stdout?: Buffer }).stdout?.toString() ?? ''
    throw new Error(`the bench bots do not compile; fix these first:\n${output || String(error)}`, { cause: error })
  }
}

/** The compiled file of a bench or emulator source, e.g. `bench/raw-echo-bot.ts`. */
export function compiled(source: string): string {
  return path.join(BOTS_DIR, source.replace(/\.ts$/, '.js'))
}
