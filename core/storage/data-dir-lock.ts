import { readFileSync, realpathSync, unlinkSync, writeFileSync } from 'node:fs'
import { hostname } from 'node:os'
import path from 'node:path'
import { StartupError } from '../errors.js'

const LOCK_FILE = 'waplug.lock'

interface Holder {
  pid: number
  host: string
  startedAt: string
}

/** Data dirs locked by runtimes of this process: a pid alone cannot tell them apart. */
const heldHere = new Set<string>()

export interface DataDirLock {
  release(): void
}

/**
 * One runtime per data dir: two processes writing the same WhatsApp session
 * would each roll the other's encryption state back, and both would stop
 * understanding their contacts. The lock is a file naming its process; a lock
 * whose process is gone (a crash, a SIGKILL) is taken over. Taken before
 * anything in the data dir is touched, so a refused start changes nothing.
 */
export function lockDataDir(dataDir: string): DataDirLock {
  const dir = realpathSync(dataDir)
  const file = path.join(dir, LOCK_FILE)
  if (heldHere.has(dir)) throw new StartupError(`${dataDir} is already used by another runtime in this process; give each runtime its own DATA_DIR`)
  const me: Holder = { pid: process.pid, host: hostname(), startedAt: new Date().toISOString() }
  for (let attempt = 0; ; attempt++) {
    try {
      writeFileSync(file, JSON.stringify(me), { flag: 'wx' })
      break
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 2) throw error
    }
    const holder = readHolder(file)
    if (holder && isAlive(holder.pid)) {
      throw new StartupError(
        `${dataDir} is in use by another waplug (process ${holder.pid} on ${holder.host}, started ${holder.startedAt}); ` +
          `stop it first, or give this one its own DATA_DIR. If that process is gone, delete ${file}`,
      )
    }
    // Left by a process that died without releasing it.
    unlinkSync(file)
  }
  heldHere.add(dir)
  const release = () => {
    process.off('exit', release)
    if (!heldHere.delete(dir)) return
    if (readHolder(file)?.pid !== me.pid) return
    try {
      unlinkSync(file)
    } catch {
      // Already gone: someone removed it by hand.
    }
  }
  process.on('exit', release)
  return { release }
}

function readHolder(file: string): Holder | undefined {
  try {
    const holder = JSON.parse(readFileSync(file, 'utf8')) as Partial<Holder>
    return typeof holder.pid === 'number' ? (holder as Holder) : undefined
  } catch {
    // Empty when its writer died between creating and filling it.
    return undefined
  }
}

/**
 * Our own pid in a lock not held by this process is a previous life of this
 * one: in a container the runtime is pid 1 after every restart.
 */
function isAlive(pid: number): boolean {
  if (pid === process.pid) return false
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}
