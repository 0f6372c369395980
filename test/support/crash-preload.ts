// Loaded into the runtime's own process (`node --import <this, compiled> dist/core/main.js`)
// by the crash test, never by production code. It kills the process with
// SIGKILL at a chosen moment: once armed (by a line the process writes, or by
// a signal from the test), on the nth write under DATA_DIR, while that write
// is under way. It knows nothing of how the runtime stores its state: any
// write, rename or open-for-writing under DATA_DIR counts, and a store that
// writes otherwise (a database's own native code) is killed by the fallback
// timer instead. Without a plan in the environment it does nothing.
//
// At run time this file imports only Node's own modules: the test compiles it
// alone to a temporary .mjs, so it cannot import the repository's files.
import fs from 'node:fs'
import fsp from 'node:fs/promises'
import { syncBuiltinESMExports } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { CrashPlan } from './crash-plan.js'

const raw = process.env.WAPLUG_CRASH_PLAN
if (raw) install(JSON.parse(raw) as CrashPlan, path.resolve(process.env.DATA_DIR ?? 'data'))

function install(plan: CrashPlan, dataDir: string): void {
  // Taken before they are wrapped below.
  const original = { writeSync: fs.writeSync, openSync: fs.openSync }
  let armed = false
  let seen = 0

  const die = (how: string): void => {
    // Synchronous, so the line is out before the process is gone.
    original.writeSync(2, `crash-preload: SIGKILL ${how}\n`)
    process.kill(process.pid, 'SIGKILL')
  }

  const taken = (): void => void original.writeSync(2, 'crash-preload: signal taken\n')

  const arm = (): void => {
    if (armed) return
    armed = true
    setTimeout(() => die('by the fallback timer'), plan.fallbackMs).unref()
  }

  /** Whether this write is the one to die on; counts it if it is one the plan counts. */
  const isTarget = (file: unknown, overwrites: (absolute: string) => boolean): boolean => {
    if (!armed) return false
    const absolute = pathOf(file)
    if (!absolute?.startsWith(dataDir + path.sep)) return false
    if (plan.overwritesOnly && !overwrites(absolute)) return false
    return seen++ === plan.nth
  }
  const what = `the ${ordinal(plan.nth + 1)} ${plan.overwritesOnly ? 'overwrite' : 'write'} under DATA_DIR after arming`

  // Die once the kernel has truncated (or created) the file and before its new
  // content lands: what a crash in the middle of writing a file leaves. Holding
  // the main thread keeps the data write from being issued; the open runs on
  // libuv's thread pool meanwhile.
  const dieWhileWriting = (file: unknown): void => {
    const absolute = pathOf(file)!
    const deadline = Date.now() + 50
    while (Date.now() < deadline && (fs.statSync(absolute, { throwIfNoEntry: false })?.size ?? 1) !== 0) {
      // spinning on purpose: the wait is for the thread pool, not the event loop
    }
    die(`during ${what}`)
  }
  const hasContent = (absolute: string): boolean => (fs.statSync(absolute, { throwIfNoEntry: false })?.size ?? 0) > 0
  const exists = (absolute: string): boolean => fs.existsSync(absolute)
  const writes = (flags: unknown): boolean => typeof flags === 'string' && /[wa+]/.test(flags)

  if (plan.armOnOutput) {
    let watching = !plan.watchAfterSignal
    if (!watching) {
      process.on('SIGUSR2', () => {
        watching = true
        taken()
      })
    }
    // Its log lines go to fds 1 and 2, through fs.write (pino's asynchronous destination) or the streams.
    const watch = (fd: unknown, data: unknown): void => {
      if (armed || !watching || (fd !== 1 && fd !== 2)) return
      const text = typeof data === 'string' ? data : data instanceof Uint8Array ? Buffer.from(data).toString() : ''
      if (text.includes(plan.armOnOutput!)) arm()
    }
    before(fs, 'write', (fd, data) => watch(fd, data))
    before(fs, 'writeSync', (fd, data) => watch(fd, data))
    before(process.stdout, 'write', (data) => watch(1, data))
    before(process.stderr, 'write', (data) => watch(2, data))
  } else {
    process.on('SIGUSR2', () => {
      arm()
      taken()
    })
  }

  // Asynchronous writes: start the original, then die while it is under way.
  for (const [target, name] of [[fs, 'writeFile'], [fsp, 'writeFile']] as const) {
    around(target, name, (args) => isTarget(args[0], hasContent), (args) => dieWhileWriting(args[0]))
  }
  for (const [target, name] of [[fs, 'open'], [fsp, 'open']] as const) {
    around(target, name, (args) => writes(args[1]) && isTarget(args[0], hasContent), (args) => dieWhileWriting(args[0]))
  }
  for (const [target, name] of [[fs, 'rename'], [fsp, 'rename']] as const) {
    around(target, name, (args) => isTarget(args[1], exists), () => void setImmediate(() => die(`during ${what} (a rename)`)))
  }
  // Synchronous ones cannot be interrupted from inside: writeFileSync dies right
  // after its open (the file truncated, nothing written), the others right after.
  wrap(fs, 'writeFileSync', (call, args) => {
    if (!isTarget(args[0], hasContent)) return call()
    const options = args[2] as { flag?: string } | string | undefined
    original.openSync(args[0] as fs.PathLike, (typeof options === 'object' ? options.flag : undefined) ?? 'w')
    return die(`during ${what}`)
  })
  wrap(fs, 'openSync', (call, args) => {
    if (!(writes(args[1]) && isTarget(args[0], hasContent))) return call()
    call()
    return die(`during ${what}`)
  })
  wrap(fs, 'renameSync', (call, args) => {
    if (!isTarget(args[1], exists)) return call()
    call()
    return die(`during ${what} (a rename)`)
  })
  // ES modules importing these by name (`import { writeFile } from 'fs/promises'`) get the wrapped ones.
  syncBuiltinESMExports()
}

type Call = () => unknown

/** Replaces target[name] with `replacement`, which gets a call of the original with the same arguments. */
function wrap(target: object, name: string, replacement: (call: Call, args: unknown[]) => unknown): void {
  const record = target as Record<string, (...args: unknown[]) => unknown>
  const originalFn = record[name]!
  record[name] = function (this: unknown, ...args: unknown[]) {
    return replacement(() => originalFn.apply(this, args), args)
  }
}

/** Runs `look` on the arguments before each call. */
function before(target: object, name: string, look: (...args: unknown[]) => void): void {
  wrap(target, name, (call, args) => {
    look(...args)
    return call()
  })
}

/** When `when(args)`, the original starts and then `then(args)` runs (and kills the process). */
function around(target: object, name: string, when: (args: unknown[]) => boolean, then: (args: unknown[]) => void): void {
  wrap(target, name, (call, args) => {
    if (!when(args)) return call()
    const result = call()
    then(args)
    return result
  })
}

function ordinal(n: number): string {
  const suffix = n % 100 >= 11 && n % 100 <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th')
  return `${n}${suffix}`
}

function pathOf(file: unknown): string | undefined {
  if (typeof file === 'string') return path.resolve(file)
  if (file instanceof URL) return file.protocol === 'file:' ? fileURLToPath(file) : undefined
  if (Buffer.isBuffer(file)) return path.resolve(file.toString())
  return undefined
}
