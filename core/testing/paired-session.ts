// Pairing happens once per process. Every later bot starts from a copy of the
// session it left, and its emulator starts out knowing that linked device and
// the keys it uploaded, as the real server would: the bot just logs in, with
// nothing to pair and no keys to generate.
import path from 'node:path'
import { pino } from 'pino'
import { startEmulator, type Emulator, type UploadedPreKeys } from '../../emulator/index.js'
import type { AuthSnapshot } from '../storage/auth-store.js'
import { Storage } from '../storage/storage.js'
import { createEmulatedRuntime, runtimeFolder, waitForState, type RuntimeFolder } from './emulated-runtime.js'

export const BOT_PHONE = '15550000001'
const PAIRING_TIMEOUT_MS = 15_000
/**
 * One-time prekeys kept of the 812 Baileys uploads: each contact uses one on
 * its first message, and every kept key is a file copied for every bot.
 */
const KEPT_PREKEYS = 64
/** The session name a runtime stores its one WhatsApp number under. */
const SESSION = 'default'

interface PairedSession {
  auth: AuthSnapshot
  companion: NonNullable<NonNullable<Emulator['host']['world']['bot']>['companion']>
  keys: UploadedPreKeys
}

let paired: Promise<PairedSession> | undefined

/** Puts a paired session for {@link BOT_PHONE} into `dataDir`, and tells `emulator` about that device. */
export async function restorePairedSession(emulator: Emulator, dataDir: string): Promise<void> {
  paired ??= pairOnce().catch((error: unknown) => {
    paired = undefined
    throw error
  })
  const { auth, companion, keys } = await paired
  const storage = new Storage(storeDir(dataDir))
  try {
    await storage.authStore().restore(SESSION, auth)
  } finally {
    await storage.close()
  }
  const { world } = emulator.host
  const bot = world.ensureBot(BOT_PHONE)
  bot.companion = { ...companion }
  world.preKeys.set(bot.deviceJid as string, { ...keys, preKeys: new Map(keys.preKeys) })
}

async function pairOnce(): Promise<PairedSession> {
  const folder = runtimeFolder('waplug-paired-')
  try {
    return await pairIn(folder)
  } finally {
    folder.remove()
  }
}

async function pairIn(folder: RuntimeFolder): Promise<PairedSession> {
  const emulator = await startEmulator()
  const runtime = createEmulatedRuntime({ folder, wsUrl: emulator.url, logger: pino({ level: 'silent' }) })
  try {
    await runtime.start()
    await waitForState(runtime, 'pairing', PAIRING_TIMEOUT_MS)
    const qr = runtime.whatsapp.qr
    if (!qr) throw new Error('the runtime is pairing but shows no QR')
    await emulator.scanQr(qr, { phone: BOT_PHONE })
    await waitForState(runtime, 'open', PAIRING_TIMEOUT_MS)
    await untilKeysUploaded(emulator, PAIRING_TIMEOUT_MS)
  } catch (error) {
    throw new Error(`waplug/testing could not pair a bot with the emulated WhatsApp: ${(error as Error).message}`, { cause: error })
  } finally {
    // Stopping waits for the credential writes, so the copy is whole.
    await runtime.stop()
    await emulator.stop()
  }
  const { world } = emulator.host
  const companion = world.bot?.companion
  const keys = world.botPreKeys()
  if (!companion || !keys) throw new Error('waplug/testing paired a bot, but the emulator did not keep its device and keys')
  const storage = new Storage(storeDir(folder.dataDir))
  try {
    const auth = await storage.authStore().snapshot(SESSION)
    if (!auth) throw new Error('waplug/testing paired a bot, but its session was not stored')
    return { ...keepNewestPreKeys(initialSyncDone(auth), keys), companion }
  } finally {
    await storage.close()
  }
}

/**
 * A device that has had its first history sync, as every real one has soon
 * after pairing. The emulator sends none; without this, Baileys holds the
 * events of a bot's next connection (the offline backlog among them) for
 * 20 s, waiting for it.
 */
function initialSyncDone(auth: AuthSnapshot): AuthSnapshot {
  return auth.creds.accountSyncCounter ? auth : { ...auth, creds: { ...auth.creds, accountSyncCounter: 1 } }
}

/**
 * Drops all but the newest one-time prekeys, on both sides. Baileys checks
 * only that the server holds more than a few and that the newest is still
 * stored, so the copies log in without uploading again.
 */
function keepNewestPreKeys(auth: AuthSnapshot, keys: UploadedPreKeys): { auth: AuthSnapshot; keys: UploadedPreKeys } {
  const oldestKept = auth.creds.nextPreKeyId - KEPT_PREKEYS
  const kept = (type: string, id: string | number) => type !== 'pre-key' || Number(id) >= oldestKept
  return {
    auth: { ...auth, keys: auth.keys.filter(({ type, id }) => kept(type, id)) },
    keys: { ...keys, preKeys: new Map([...keys.preKeys].filter(([id]) => kept('pre-key', id))) },
  }
}

/** Where a runtime with this data dir keeps its store; the runtime opens it the same way. */
const storeDir = (dataDir: string) => path.join(dataDir, 'store')

/** Contacts can only encrypt to the bot once its keys are on the server, a moment after it is online. */
export async function untilKeysUploaded(emulator: Emulator, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!emulator.host.world.botPreKeys()) {
    if (Date.now() > deadline) throw new Error(`the bot did not upload its encryption keys within ${timeoutMs} ms`)
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}
