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

/**
 * Why a socket closed, in words. Baileys wraps a network failure in a Boom
 * ("WebSocket Error (…)", 408 for any system error) whose data is the error
 * itself: its message names the cause, as "getaddrinfo ENOTFOUND web.whatsapp.com".
 */
export function closeCause(error: unknown): string {
  if (!(error instanceof Error)) return typeof error === 'string' ? error : 'closed'
  const data = (error as { data?: unknown }).data
  if (data instanceof Error && data.message) return data.message
  return error.message || 'closed'
}

/** A delay as a person reads it: "0.8 s", "16 s". */
export function inSeconds(ms: number): string {
  const s = ms / 1000
  return `${s < 10 ? Number(s.toFixed(1)) : Math.round(s)} s`
}
