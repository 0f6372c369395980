import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { Curve } from '@whiskeysockets/baileys'

const require = createRequire(import.meta.url)

/** Whether a file of an installed package contains a marker of waplug's patch. */
function patched(pkg: string, file: string, marker: string, from?: string): boolean {
  try {
    const resolver = from ? createRequire(require.resolve(`${from}/package.json`)) : require
    const root = path.dirname(resolver.resolve(`${pkg}/package.json`))
    return readFileSync(path.join(root, file), 'utf8').includes(marker)
  } catch {
    return false
  }
}

/**
 * Baileys encrypts a message inside its key transaction and, as published,
 * sends it before that transaction commits: a crash between the two leaves
 * the contact ahead of the stored ratchet. waplug's patch (patches/, applied
 * at install by scripts/apply-patches.mjs) sends after the commit. This tells whether the Baileys
 * that is loaded has it, so a bot installed without it hears so at start.
 */
export function baileysSendsAfterCommit(): boolean {
  return patched('@whiskeysockets/baileys', 'lib/Socket/messages-send.js', 'await sendNode(stanzaToSend)')
}

/**
 * Baileys, as published, records which group members hold the bot's sender
 * key before the message carrying it is sent: a message lost with a crash or
 * a drop leaves them marked as holding a key they never got, and the group
 * cannot read the bot's later messages. waplug's patch records it on
 * WhatsApp's acknowledgement.
 */
export function baileysRecordsSenderKeysOnAck(): boolean {
  return patched('@whiskeysockets/baileys', 'lib/Socket/messages-send.js', 'unackedSenderKeys.set(msgId')
}

/**
 * libsignal runs every session job for one address in a queue whose loop
 * keeps the async context of the job that started it; with several sessions
 * in one process a job ran inside another socket's key transaction and its
 * write was lost. waplug's patch runs each job in its own context.
 */
export function libsignalJobsKeepTheirContext(): boolean {
  return patched('libsignal', 'src/queue_job.js', 'AsyncResource.bind(awaitable)', '@whiskeysockets/baileys')
}

/**
 * libsignal tries each session a contact's record keeps until one decrypts;
 * as published, a failed try left that session's ratchet stepped with keys
 * from the wrong root, and it was saved so: a message on an older session
 * spoiled the current one, and the contact could no longer read the bot.
 * waplug's patch tries each session on a copy.
 */
export function libsignalTriesSessionsOnCopies(): boolean {
  return patched('libsignal', 'src/session_cipher.js', 'session.constructor.deserialize(session.serialize())', '@whiskeysockets/baileys')
}

/**
 * Baileys rc14's Curve.verify, as published, ignores what libsignal answers
 * and calls every signature valid, so neither WhatsApp's certificate chain in
 * the handshake nor the account's signature at pairing is checked. waplug's
 * patch returns the real answer; this asks the Baileys that is loaded about a
 * signature by another key.
 */
export function baileysChecksSignatures(): boolean {
  const signer = Curve.generateKeyPair()
  const message = Buffer.from('waplug signature check')
  return Curve.verify(Curve.generateKeyPair().public, message, Buffer.from(Curve.sign(signer.private, message))) === false
}

/**
 * Baileys, as published, formats the caller's stack trace twice on every
 * frame it sends and every query it makes (for the data of a timeout error
 * that almost never comes), and builds another error with a stack when the
 * call settles: about a quarter of the CPU of a group call. waplug's patch
 * builds no error at all for a call that settles.
 */
export function baileysSettlesCallsWithoutStacks(): boolean {
  return patched('@whiskeysockets/baileys', 'lib/Utils/generics.js', 'const withoutStack = (make)')
}

/**
 * Baileys keeps a session's key transaction in an AsyncLocalStorage, which on
 * Node 20 turns promise hooks on for the whole process from the first
 * transaction on: every promise after it, in Baileys, the runtime and plugins,
 * pays for them, about 7 % of a group call's CPU. waplug's patch turns them
 * off between transactions, and writes what a transaction started after it
 * committed to the store instead of into the closed transaction, where it was lost.
 */
export function baileysTransactionsLeavePromisesAlone(): boolean {
  return patched('@whiskeysockets/baileys', 'lib/Utils/auth-utils.js', 'txStorage.disable()')
}

/**
 * libsignal, as published, imports both keys of every X25519 agreement from
 * DER, and OpenSSL 3 decodes a private key that way in about 0.4 ms: most of
 * the CPU of a ratchet step, which makes two. waplug's patch imports them as
 * JWK, from their raw bytes, where this Node gives the same agreement.
 */
export function libsignalImportsKeysAsJwk(): boolean {
  return patched('libsignal', 'src/curve.js', 'const jwkImportAgrees = function()', '@whiskeysockets/baileys')
}

/** What is missing of waplug's patches, in words; empty when all are applied. */
export function missingPatches(): string[] {
  return [
    ...(baileysSendsAfterCommit() ? [] : ["Baileys is not patched: a crash while a message is being sent can leave a contact unable to read the bot's next messages"]),
    ...(baileysRecordsSenderKeysOnAck() ? [] : ["Baileys is not patched: a group message lost with the connection can leave the group unable to read the bot's next messages"]),
    ...(baileysChecksSignatures() ? [] : ["Baileys is not patched: it does not check WhatsApp's certificate or the account's signature at pairing, so a server posing as WhatsApp would be accepted"]),
    ...(baileysSettlesCallsWithoutStacks() ? [] : ["Baileys is not patched: every message sent and every call to WhatsApp formats stack traces nobody reads, which costs about a quarter of a group call's CPU"]),
    ...(baileysTransactionsLeavePromisesAlone() ? [] : ["Baileys is not patched: from its first key transaction on, every promise in the process costs more, about 7 % of a group call's CPU, and a key written after its transaction committed is lost"]),
    ...(libsignalJobsKeepTheirContext() ? [] : ['libsignal is not patched: with several sessions in one runtime a contact can lose the ability to read one of them']),
    ...(libsignalImportsKeysAsJwk() ? [] : ["libsignal is not patched: each message that steps a contact's ratchet costs about 1 ms more CPU than it needs"]),
    ...(libsignalTriesSessionsOnCopies() ? [] : ["libsignal is not patched: a contact's message on an older session can leave that contact unable to read the bot's next messages"]),
  ]
}

export const PATCH_ADVICE = 'Run `npx waplug patch` in your bot folder, and add "postinstall": "waplug patch" to its package.json scripts so that every install applies them (docs/deployment.md)'
