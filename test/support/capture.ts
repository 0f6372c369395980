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

/**
 * Runs a command to its end, in `cwd`, as a person at a terminal would: without
 * what makes a child of a test file report to this test run instead of running
 * its own (NODE_TEST_CONTEXT) or load this run's loaders (NODE_OPTIONS).
 */
export async function runToEnd(command: string, args: string[], options: { cwd: string; shell?: boolean }): Promise<{ code: number | null; output: string }> {
  const { NODE_TEST_CONTEXT: _context, NODE_OPTIONS: _options, ...env } = process.env
  const child = spawn(command, args, { cwd: options.cwd, shell: options.shell ?? false, env, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve))
  return { code, output }
}
