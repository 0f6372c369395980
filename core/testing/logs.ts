// The runtime's logs in a test: silent unless asked for, but its warnings and
// errors are always kept, because a reply that never comes is usually
// explained by one of them.
import { Writable } from 'node:stream'
import { multistream, pino, type StreamEntry } from 'pino'
import pretty from 'pino-pretty'
import type { Logger } from '../logger.js'
import type { TestLogLevel } from './api.js'

export const LOG_ENV = 'WAPLUG_TEST_LOG'
const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace']
const KEPT = 20

export interface TestLogs {
  logger: Logger
  /** The last warnings and errors, one line each, oldest first. */
  problems(): string[]
}

/** The level to print at: the option, else the environment variable, else none. */
export function printLevel(option: TestLogLevel | undefined, env = process.env[LOG_ENV]): TestLogLevel {
  if (option !== undefined) return option
  if (env === undefined || env === '' || /^(0|false|no|off|silent)$/i.test(env)) return false
  if (/^(1|true|yes|on)$/i.test(env)) return 'info'
  if (LEVELS.includes(env)) return env as TestLogLevel
  throw new Error(`${LOG_ENV}=${env} is not a log level; use one of ${LEVELS.join(', ')} (or 1 for info)`)
}

export function testLogs(level: TestLogLevel): TestLogs {
  const kept: string[] = []
  const keeper = new Writable({
    write(chunk: Buffer, _encoding, done) {
      const line = problemLine(chunk.toString())
      if (line) {
        kept.push(line)
        if (kept.length > KEPT) kept.shift()
      }
      done()
    },
  })
  const streams: StreamEntry<string>[] = [{ level: 'warn', stream: keeper }]
  if (level) {
    const toStderr = pretty({ colorize: Boolean(process.stderr.isTTY), translateTime: 'HH:MM:ss.l', ignore: 'pid,hostname', destination: 2, sync: true })
    streams.push({ level, stream: toStderr })
  }
  const lowest = level && LEVELS.indexOf(level) > LEVELS.indexOf('warn') ? level : 'warn'
  return { logger: pino({ level: lowest, base: undefined }, multistream(streams)), problems: () => [...kept] }
}

/** `warn plugin=welcome: could not greet: boom`, `error action=welcome.greet: …`; Baileys' own warnings are its business, not the plugin author's. */
function problemLine(json: string): string | undefined {
  let entry: { level?: number; msg?: string; component?: string; plugin?: string; action?: string; err?: { message?: string } }
  try {
    entry = JSON.parse(json) as typeof entry
  } catch {
    return undefined
  }
  if (entry.component === 'baileys') return undefined
  const level = (entry.level ?? 0) >= 50 ? 'error' : 'warn'
  const who = entry.action ? ` action=${entry.action}` : entry.plugin ? ` plugin=${entry.plugin}` : entry.component ? ` ${entry.component}` : ''
  const cause = entry.err?.message ? `: ${entry.err.message}` : ''
  return `${level}${who}: ${entry.msg ?? ''}${cause}`
}
