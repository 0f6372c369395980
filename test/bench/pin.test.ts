import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { describe, it } from 'node:test'
import { allowedCpus, pin } from '../../bench/pin.js'

const cpus = allowedCpus()
const allowedOf = (pid: number, task: string) => /^Cpus_allowed_list:\s*(\S+)/m.exec(readFileSync(`/proc/${pid}/task/${task}/status`, 'utf8'))?.[1]

// `bench/http-overhead.ts --pin` runs the bench on one core and the bots on another.
describe('pinning a bot to a core', { skip: cpus.length < 2 ? 'needs two CPUs to show a change' : false }, () => {
  it('reads the CPUs this process may use', () => {
    assert.ok(cpus.length >= 2)
    assert.ok(cpus.every((cpu) => Number.isInteger(cpu) && cpu >= 0))
  })

  it('moves every thread of a running process, the runtime\'s helpers included, to the one CPU', async () => {
    // A node process has its collector's and libuv's threads from the start.
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)'], { stdio: 'ignore' })
    try {
      await new Promise((resolve) => child.once('spawn', resolve))
      const pid = child.pid ?? 0
      const target = cpus.at(-1) ?? 0
      await new Promise((resolve) => setTimeout(resolve, 200))
      pin(pid, target)
      const tasks = readdirSync(`/proc/${pid}/task`)
      assert.ok(tasks.length > 1, 'a node process has more than one thread')
      for (const task of tasks) assert.equal(allowedOf(pid, task), String(target), `thread ${task}`)
    } finally {
      child.kill('SIGKILL')
    }
  })

  it('says what to do when a process cannot be pinned', () => {
    assert.throws(() => pin(2 ** 22 + 12345, cpus[0] ?? 0), /could not pin process \d+ to CPU \d+: .*leave out --pin/)
  })
})
