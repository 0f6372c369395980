import { spawn } from 'node:child_process'
import assert from 'node:assert/strict'

/**
 * Runs a writer fixture (it prints the number of each write once it has
 * returned) and SIGKILLs it after `after` acknowledged writes, while it keeps
 * writing. Resolves with the last write it acknowledged.
 */
export async function killWriterAfter(fixture: string, directory: string, after: number): Promise<number> {
  const writer = spawn(process.execPath, ['--import', 'tsx', fixture, directory], { stdio: ['ignore', 'pipe', 'pipe'] })
  let acknowledged = -1
  let errors = ''
  writer.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()))
  const exited = new Promise<NodeJS.Signals | null>((resolve) => writer.on('exit', (_code, signal) => resolve(signal)))
  await new Promise<void>((resolve, reject) => {
    let buffered = ''
    writer.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString()
      const lines = buffered.split('\n')
      buffered = lines.pop() ?? ''
      for (const line of lines) acknowledged = Number(line)
      // Killed while it keeps writing: the next write is in flight.
      if (acknowledged >= after) {
        writer.kill('SIGKILL')
        resolve()
      }
    })
    writer.on('exit', () => reject(new Error(`the writer exited by itself: ${errors}`)))
  })
  assert.equal(await exited, 'SIGKILL')
  return acknowledged
}
