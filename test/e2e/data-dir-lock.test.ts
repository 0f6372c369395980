import assert from 'node:assert/strict'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, it } from 'node:test'
import { spawnNode } from '../support/capture.js'
import { until } from '../support/emulated-runtime.js'
import { built } from '../support/package.js'

/** Every file under the data dir with its size and modification time. */
function contents(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((name) => {
      const stat = statSync(path.join(dir, name))
      return `${name} ${stat.isDirectory() ? 'dir' : `${stat.size} ${stat.mtimeMs}`}`
    })
    .sort()
}

/**
 * Whether every thread of the process has stopped: a signal is delivered when
 * the kernel gets to it, and a thread of the store may write until then.
 */
function allStopped(pid: number): boolean {
  // Without /proc (not Linux) there is nothing to read: the pause is taken on trust.
  if (!existsSync(`/proc/${pid}`)) return true
  const tasks = readdirSync(`/proc/${pid}/task`)
  // The state follows the command name, which is in parentheses and may hold spaces.
  return tasks.every((task) => {
    let stat: string
    try {
      stat = readFileSync(`/proc/${pid}/task/${task}/stat`, 'utf8')
    } catch {
      // A thread that ended since its process's threads were listed writes nothing more.
      return true
    }
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('T')
  })
}

describe('one runtime per data dir', () => {
  it('refuses a second runtime on the same data dir, naming the one that holds it and touching nothing; a killed one is taken over', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'waplug-lock-'))
    const env = { DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', LOG_PRETTY: 'false', WA_WS_URL: 'ws://127.0.0.1:9/ws/chat', API_KEY: 'lock-test-key-0123456789' }
    const first = spawnNode([built('core/main.js')], env)
    const children = [first.child]
    try {
      // By its first failed connection it has opened its store and written what it writes at start.
      await until(() => first.output().includes('cannot reach WhatsApp at ws://127.0.0.1:9'), 'the first runtime to try WhatsApp', 20_000)
      // The holder goes on writing (its connection's state events, its retries): paused, whatever changes is the second one's doing.
      first.child.kill('SIGSTOP')
      await until(() => allStopped(first.child.pid ?? 0), 'the first runtime to be paused', 5_000)
      const before = contents(dataDir)

      const second = spawnNode([built('core/main.js')], env)
      children.push(second.child)
      assert.equal(await second.exited, 1)
      assert.match(second.output(), new RegExp(`is in use by another waplug \\(process ${first.child.pid} on .+\\); stop it first, or give this one its own DATA_DIR`))
      assert.deepEqual(contents(dataDir), before, 'the refused start changed nothing in the data dir')
      first.child.kill('SIGCONT')
      assert.equal(first.child.exitCode, null, 'the first runtime still runs')

      first.child.kill('SIGKILL')
      await first.exited
      const third = spawnNode([built('core/main.js')], env)
      children.push(third.child)
      await until(() => third.output().includes('HTTP API listening'), 'a runtime after the holder was killed', 20_000)
      third.child.kill('SIGTERM')
      assert.equal(await third.exited, 0)
    } finally {
      for (const child of children) child.kill('SIGKILL')
      rmSync(dataDir, { recursive: true, force: true })
    }
  })
})
