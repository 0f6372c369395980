import { createRequire } from 'node:module'
import { pino, type Logger } from 'pino'
import type { PrettyOptions, PrettyStream } from 'pino-pretty'
import type { Config } from './config.js'

export type { Logger }

/**
 * Readable lines for a person at a terminal, JSON for anything that collects logs.
 * pino-pretty runs in-process (not as a worker transport) so that nothing is lost
 * when the process exits right after a fatal start error.
 */
export function createLogger(config: Pick<Config, 'log'>, destination?: NodeJS.WritableStream): Logger {
  const usePretty = config.log.pretty === 'auto' ? Boolean(process.stdout.isTTY) && !destination : config.log.pretty
  const options = { level: config.log.level, base: undefined }
  if (usePretty) {
    // Colours only for a terminal: in a file or a pipe they would be escape codes.
    const colorize = Boolean(((destination ?? process.stdout) as Partial<NodeJS.WriteStream>).isTTY)
    return pino(options, loadPretty()({ colorize, translateTime: 'HH:MM:ss.l', ignore: 'pid,hostname', destination: destination ?? 1, sync: true }))
  }
  // Written as they are made, like Node's own stdout to a pipe or file on Linux. pino's default hands each line
  // to libuv's thread pool: the lines still queued when the process is killed are lost (the last ones before a
  // crash, which are the ones wanted), and every line costs two thread switches, about 10 µs on a loaded core.
  return pino(options, destination ?? pino.destination({ dest: 1, sync: true }))
}

// Only a terminal needs pino-pretty, so a server writing JSON does not load it at start-up.
// Required rather than imported: the logger is made synchronously.
function loadPretty(): (options: PrettyOptions) => PrettyStream {
  return createRequire(import.meta.url)('pino-pretty') as (options: PrettyOptions) => PrettyStream
}
