// Both bots are compiled before they are started (see tsconfig.bots.json);
// incremental, so a run after the first takes a second or two.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const bench = path.dirname(fileURLToPath(import.meta.url))
/** Where the compiled bots and what they import land, mirroring the repository's folders. */
export const BOTS_DIR = path.join(bench, '.bots')

/** Compiles this checkout's bots, or those of another checkout of waplug (for before-and-after runs, see http-ab.ts). */
export function compileBots(checkout = path.join(bench, '..')): void {
  // The built-in plugins import 'waplug', which is the package's compiled SDK (dist/), as any plugin's is.
  const sdk = path.join(checkout, 'dist', 'core', 'index.js')
  if (!existsSync(sdk)) throw new Error(`the runtime's plugins import waplug from ${sdk}, which is not built; run npm run build in ${path.resolve(checkout)} (npm run bench does it first here)`)
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc')
  // Two benches at once (the test suite runs files in parallel) would write the
  // same files at once, and one's bot could load a file the other is rewriting.
  withLock(path.join(checkout, 'bench', '.bots.lock'), () => {
    try {
      execFileSync(process.execPath, [tsc, '-p', path.join(checkout, 'bench', 'tsconfig.bots.json')], { stdio: 'pipe' })
    } catch (error) {
      const output = (error as { stdout?: Buffer }).stdout?.toString() ?? ''
      throw new Error(`the bench bots do not compile; fix these first:\n${output || String(error)}`, { cause: error })
    }
  })
}

const LOCK_WAIT_MS = 10 * 60_000

/** Runs `work` holding a lock folder; one left by a process that died is taken over. */
function withLock(lock: string, work: () => void): void {
  const deadline = Date.now() + LOCK_WAIT_MS
  for (;;) {
    try {
      mkdirSync(lock)
      break
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
    }
    if (abandoned(lock)) {
      rmSync(lock, { recursive: true, force: true })
      continue
    }
    if (Date.now() > deadline) throw new Error(`another bench has been compiling the bots for 10 minutes; if none runs, delete ${lock}`)
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200)
  }
  writeFileSync(path.join(lock, 'pid'), String(process.pid))
  try {
    work()
  } finally {
    rmSync(lock, { recursive: true, force: true })
  }
}

function abandoned(lock: string): boolean {
  try {
    process.kill(Number(readFileSync(path.join(lock, 'pid'), 'utf8')), 0)
    return false
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return true
    // No pid yet: its holder is between making the folder and writing it, unless that was long ago.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return Date.now() - (statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now()) > 60_000
    return false
  }
}

/** The compiled file of a bench or emulator source, e.g. `bench/raw-echo-bot.ts`, in this checkout or another. */
export function compiled(source: string, checkout?: string): string {
  return path.join(checkout ? path.join(checkout, 'bench', '.bots') : BOTS_DIR, source.replace(/\.ts$/, '.js'))
}
