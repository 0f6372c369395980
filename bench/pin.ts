// Pinning for measurements that must tell a few per cent apart: on a machine
// of two cores, the kernel moves the bench (emulator and load) and the bot
// between them, and whether the bot shares a core with the load moves its CPU
// per request by a fifth and more from round to round.
import { execFileSync } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'

/** A status file's list of allowed CPUs ("0-1,4"). */
function cpusOf(statusFile: string): string | undefined {
  try {
    return /^Cpus_allowed_list:\s*(\S+)/m.exec(readFileSync(statusFile, 'utf8'))?.[1]
  } catch {
    // Not Linux, or a thread that ended since its process's threads were listed.
    return undefined
  }
}

/** The CPUs this process may run on (Linux), e.g. [0, 1] for "0-1": a container's cpuset need not start at 0. */
export function allowedCpus(): number[] {
  const list = cpusOf('/proc/self/status') ?? ''
  return list.split(',').flatMap((range) => {
    const [from = NaN, to = from] = range.split('-').map(Number)
    return Number.isNaN(from) ? [] : Array.from({ length: to - from + 1 }, (_, i) => from + i)
  })
}

/** Every thread of process `pid`, and the threads it makes from now on, may run only on CPU `cpu`. Linux, with util-linux's taskset. */
export function pin(pid: number, cpu: number): void {
  const fail = (why: string, cause?: unknown) =>
    new Error(`could not pin process ${pid} to CPU ${cpu}: ${why}. Pinning needs Linux and taskset (util-linux); leave out --pin elsewhere`, { cause })
  try {
    execFileSync('taskset', ['--all-tasks', '--cpu-list', '--pid', String(cpu), String(pid)], { stdio: 'pipe' })
  } catch (error) {
    throw fail((error as { stderr?: Buffer }).stderr?.toString().trim() || (error as Error).message, error)
  }
  // taskset says nothing of a process that is not there: the threads' own lists tell.
  let tasks: string[]
  try {
    tasks = readdirSync(`/proc/${pid}/task`)
  } catch (error) {
    throw fail('there is no such process', error)
  }
  const off = tasks.filter((task) => {
    const cpus = cpusOf(`/proc/${pid}/task/${task}/status`)
    return cpus !== undefined && cpus !== String(cpu)
  })
  if (off.length > 0) throw fail(`threads ${off.join(', ')} still run elsewhere`)
}
