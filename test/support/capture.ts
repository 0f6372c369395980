import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { Writable } from 'node:stream'

/** A stream that keeps what is written to it, standing in for a terminal. */
export function captureStream(): { stream: Writable; text: () => string } {
  let written = ''
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      written += chunk.toString()
      done()
    },
  })
  return { stream, text: () => written }
}

/** Runs `node <args>` as its own process, as an npm script would, collecting stdout and stderr together. */
export function spawnNode(
  args: string[],
  env: Record<string, string>,
  cwd = process.cwd(),
): { child: ChildProcessWithoutNullStreams; output: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, args, { cwd, env: { ...process.env, ...env }, stdio: 'pipe' })
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve))
  return { child, output: () => output, exited }
}

