import type { Logger } from '../logger.js'

/**
 * libsignal reports session changes with console.info/warn/error and prints
 * the whole session record with them, private keys included. Those lines are
 * taken off the console: their text (never the objects) goes to the
 * runtime's logger at debug level, and nowhere when no runtime listens.
 */
const LIBSIGNAL_LINES = [
  'Closing session',
  'Opening session',
  'Removing old closed session',
  'Session already closed',
  'Session already open',
  'Migrating session to',
  'Closing open session in favor of incoming prekey bundle',
  'Closing stale open session',
  'Decrypted message with closed session',
  'Failed to decrypt message with any known session',
  'Session error:',
  'V1 session storage migration error',
  'WARNING: Expected pubkey of length 33',
  'Unhandled bucket type',
]

const listeners = new Set<Logger>()
let installed = false

/** Routes libsignal's console lines to `logger` until the returned function is called. */
export function routeLibsignalConsole(logger?: Logger): () => void {
  install()
  if (!logger) return () => {}
  listeners.add(logger)
  return () => listeners.delete(logger)
}

function install(): void {
  if (installed) return
  installed = true
  for (const method of ['info', 'warn', 'error', 'log'] as const) {
    const original = console[method].bind(console)
    console[method] = (...args: unknown[]) => {
      const first = args[0]
      if (typeof first !== 'string' || !LIBSIGNAL_LINES.some((line) => first.startsWith(line))) return original(...args)
      // "Session error:" + error carries its reason in the text; the record objects never leave.
      const text = first.replace(/:\s*$/, '')
      for (const logger of listeners) logger.debug({ component: 'libsignal' }, text)
    }
  }
}
