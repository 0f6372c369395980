import { DisconnectReason, getErrorCodeFromStreamError, type BinaryNode } from '@whiskeysockets/baileys'
import type { Logger } from '../logger.js'

/** Whether what Baileys logs with "stream errored out" is WhatsApp's 515, "restart required". */
function isRestart(obj: unknown): boolean {
  const node = (obj as { fullErrorNode?: BinaryNode } | undefined)?.fullErrorNode
  if (!node?.attrs) return false
  try {
    return getErrorCodeFromStreamError(node).statusCode === Number(DisconnectReason.restartRequired)
  } catch {
    return false
  }
}

/**
 * The logger handed to Baileys. Baileys logs every stream error at error
 * level, the 515 too: WhatsApp asking for a new connection, which follows
 * every pairing and is no fault (the runtime says it reconnects, at info).
 * That one goes at debug; every other line, and the loggers Baileys makes
 * from this one, as they are.
 */
export function baileysLogger(logger: Logger): Logger {
  const wrapped = Object.create(logger) as Logger
  const error = (...args: unknown[]): void => {
    if (args[1] === 'stream errored out' && isRestart(args[0])) return logger.debug(args[0], 'WhatsApp asked for a restart (515)')
    Reflect.apply(logger.error, logger, args)
  }
  wrapped.error = error
  return wrapped
}
