import type { IncomingMessage } from '../whatsapp/types.js'

/**
 * A message from the offline backlog older than the window: nobody waits
 * for an answer to it any more, and running it now could surprise (a group
 * created an hour after it was asked for). Live messages are never too old,
 * whatever their clocks say.
 */
export function tooOldToAnswer(message: Pick<IncomingMessage, 'backlog' | 'timestamp'>, nowMs: number, backlogSeconds: number): boolean {
  return message.backlog && nowMs - message.timestamp * 1000 > backlogSeconds * 1000
}
