import { DisconnectReason } from '@whiskeysockets/baileys'

export type ReconnectDecision =
  | { action: 'restart' }
  | { action: 're-pair'; why: string }
  | { action: 'stop'; why: string }
  | { action: 'retry'; delayMs: number }

const MAX_BACKOFF_MS = 30_000

/**
 * What to do when the socket closes with a DisconnectReason. 515 is WhatsApp
 * asking for a fresh socket (after pairing, for one); 401/403 mean the device
 * was unlinked, so the stored auth is worthless; 440 means another session took
 * over, and reconnecting would only take it back and loop.
 */
export function decideReconnect(statusCode: number | undefined, attempt: number, random = Math.random): ReconnectDecision {
  switch (statusCode) {
    case DisconnectReason.restartRequired:
      return { action: 'restart' }
    case DisconnectReason.loggedOut:
      return { action: 're-pair', why: 'this device was logged out of WhatsApp' }
    case DisconnectReason.forbidden:
      return { action: 're-pair', why: 'WhatsApp refused this session (403)' }
    case DisconnectReason.connectionReplaced:
      return { action: 'stop', why: 'this WhatsApp session was opened somewhere else; restart waplug to take it back' }
    default: {
      const base = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** Math.min(attempt, 5))
      // Jitter spreads reconnects so that many bots do not return at the same instant.
      return { action: 'retry', delayMs: Math.round(base * (0.5 + random() * 0.5)) }
    }
  }
}
