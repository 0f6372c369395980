// A long-running command (waplug start) as its own process, with only the environment given:
// watched through what it prints, stopped with SIGTERM as docker stop does.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { createServer } from 'node:net'

export interface StartedCommand {
  /** Everything printed so far, stdout and stderr. */
  output(): string
  /** Resolves when the output matches, rejects with the output when the process ends first or the time is up. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>
  /** SIGTERM, then its exit code (or signal), killed with SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<number | string | null>
}

export function startCommand(command: string, args: string[], options: { cwd: string; env: Record<string, string> }): StartedCommand {
  const child: ChildProcessWithoutNullStreams = spawn(command, args, { cwd: options.cwd, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...options.env }, stdio: 'pipe' })
  let output = ''
  let ended: number | string | null | undefined
  const exited = new Promise<number | string | null>((resolve) =>
    child.on('exit', (code, signal) => {
      ended = code ?? signal
      resolve(ended)
    }),
  )
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
  process.once('exit', () => child.kill('SIGKILL'))
  return {
    output: () => output,
    async waitFor(pattern, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs
      while (!pattern.test(output)) {
        if (ended !== undefined) throw new Error(`the process ended (${ended}) before printing ${pattern}:\n${output}`)
        if (Date.now() > deadline) throw new Error(`nothing matched ${pattern} within ${timeoutMs} ms:\n${output}`)
        await new Promise((resolve) => setTimeout(resolve, 50))
      }
    },
    async stop(graceMs = 10_000) {
      if (ended !== undefined) return ended
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs)
      const result = await exited
      clearTimeout(timer)
      return result
    },
  }
}

/** A TCP port nothing listens on right now. */
export async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise((resolve) => server.close(resolve))
  return port
}
