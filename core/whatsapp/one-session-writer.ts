import type { WASocket } from '@whiskeysockets/baileys'

/**
 * Makes Baileys decrypt under the same lock as it sends. A send holds one
 * transaction (keyed by the bot's own id) from reading the Signal sessions
 * of everyone it writes to until it saves them; a decrypt takes a
 * transaction keyed by the sender. So a message from someone the bot is
 * answering at that moment can move their session on while the send still
 * holds the old one, and the send then saves the old one over it: the two
 * sides' sessions part, and that person can no longer read the bot. Nested
 * in a transaction under the bot's id, a decrypt waits for the send, and the
 * send for it.
 */
export function decryptUnderSendLock(sock: WASocket): void {
  const repository = sock.signalRepository
  const { keys } = sock.authState
  const decryptMessage = repository.decryptMessage.bind(repository)
  // Group messages are left alone: they read the sender's sender key, which sends do not write, under the
  // group's lock, which the sender key's distribution takes too; moved under this lock they would race it.
  repository.decryptMessage = (opts) => keys.transaction(() => decryptMessage(opts), sendLock(sock))
}

/** The key of the transaction Baileys sends under (the bot's own id), which decrypts of one-to-one messages take too. */
export function sendLock(sock: WASocket): string {
  return sock.authState.creds.me?.id ?? 'me'
}
