// A contact's message can reach the bot on an older Signal session than the
// one the bot now writes on: after a crash WhatsApp delivers again what the
// bot had not acknowledged, while the contact's phone may already have
// started a new session (on a retry receipt's fresh keys, or a reinstall of
// the chat). libsignal tries each session it keeps until one decrypts, and
// as published every try moved that session's ratchet on before its MAC
// check failed: the bot's current session was left stepped with keys the
// contact never had, so the contact could not read the bot's next message
// ("No matching sessions found for message"). waplug's patch of libsignal
// tries each session on a copy and keeps only the one that decrypted.
import assert from 'node:assert/strict'
import { it } from 'node:test'
import { Curve, initAuthCreds, type AuthenticationCreds } from '@whiskeysockets/baileys'
import { memorySignalRepository } from '../support/memory-signal-repository.js'
import '../support/quiet-libsignal.js'

const BOT = '15550001111@s.whatsapp.net'
const ALICE = '15550002222@s.whatsapp.net'
/** Each is 33 bytes with the key type first, as bundles carry them. */
const signalKey = (key: Uint8Array): Uint8Array => Buffer.concat([Buffer.from([5]), key])

/** One end: Baileys' Signal repository over a store that keeps what it is given, with one-time prekeys 1..4. */
function device() {
  const creds: AuthenticationCreds = initAuthCreds()
  const data = new Map<string, unknown>()
  const preKeys = new Map<number, ReturnType<typeof Curve.generateKeyPair>>()
  for (let id = 1; id <= 4; id++) {
    const pair = Curve.generateKeyPair()
    preKeys.set(id, pair)
    data.set(`pre-key/${id}`, pair)
  }
  const { repository } = memorySignalRepository(data, creds)
  /** The bundle a server hands out for this device, with one-time prekey `preKeyId`. */
  const bundle = (preKeyId: number) => ({
    registrationId: creds.registrationId,
    identityKey: signalKey(creds.signedIdentityKey.public),
    signedPreKey: {
      keyId: creds.signedPreKey.keyId,
      publicKey: signalKey(creds.signedPreKey.keyPair.public),
      signature: creds.signedPreKey.signature,
    },
    preKey: { keyId: preKeyId, publicKey: signalKey(preKeys.get(preKeyId)!.public) },
  })
  return { repository, bundle }
}

async function send(from: ReturnType<typeof device>, to: string, text: string) {
  return from.repository.encryptMessage({ jid: to, data: Buffer.from(text) })
}

async function read(by: ReturnType<typeof device>, from: string, message: { type: 'pkmsg' | 'msg'; ciphertext: Uint8Array }): Promise<string> {
  return Buffer.from(await by.repository.decryptMessage({ jid: from, type: message.type, ciphertext: message.ciphertext })).toString()
}

/** libsignal orders a record's sessions by when each was last used, to the millisecond. */
const nextMillisecond = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 2))

it("the contact reads the bot's answer after a message of theirs arrives on the session they left", async () => {
  const bot = device()
  const alice = device()

  // Alice writes first (a pkmsg from the bot's bundle); they talk on that session.
  await alice.repository.injectE2ESession({ jid: BOT, session: bot.bundle(1) })
  assert.equal(await read(bot, ALICE, await send(alice, BOT, '!ping')), '!ping')
  assert.equal(await read(alice, BOT, await send(bot, ALICE, 'pong')), 'pong')
  // Her next message is on that session too, and is held up (the bot was killed before acknowledging it).
  const heldUp = await send(alice, BOT, '!help')
  assert.equal(heldUp.type, 'msg')

  // Her phone starts a new session from fresh keys of the bot's and writes on it; the bot takes it.
  await nextMillisecond()
  await alice.repository.injectE2ESession({ jid: BOT, session: bot.bundle(2) })
  const onNew = await send(alice, BOT, '!ping again')
  assert.equal(onNew.type, 'pkmsg')
  assert.equal(await read(bot, ALICE, onNew), '!ping again')

  // The held-up message arrives now, on the session the bot has closed: it is read...
  await nextMillisecond()
  assert.equal(await read(bot, ALICE, heldUp), '!help')
  // ...and Alice reads the bot's next messages.
  assert.equal(await read(alice, BOT, await send(bot, ALICE, 'the help text')), 'the help text')
  assert.equal(await read(alice, BOT, await send(bot, ALICE, 'and more')), 'and more')
  // And the bot reads her next one, on the session she writes on now.
  assert.equal(await read(bot, ALICE, await send(alice, BOT, '!ping once more')), '!ping once more')
})
