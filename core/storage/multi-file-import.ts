import { existsSync } from 'node:fs'
import { readdir, readFile, rename } from 'node:fs/promises'
import path from 'node:path'
import { BufferJSON, type AuthenticationCreds } from '@whiskeysockets/baileys'
import type { Logger } from '../logger.js'
import type { AuthKeyEntry, AuthStore } from './auth-store.js'

/**
 * Key types as Baileys' multi-file store names its files (`<type>-<id>.json`).
 * The name alone cannot be split without them, since types contain '-' too;
 * longest first, so 'sender-key-memory' wins over 'sender-key'.
 */
const FILE_TYPES = [
  'app-state-sync-version',
  'app-state-sync-key',
  'sender-key-memory',
  'identity-key',
  'lid-mapping',
  'device-list',
  'sender-key',
  'pre-key',
  'session',
  'tctoken',
]

export interface ImportResult {
  /** Where the old folder now is. */
  movedTo: string
  keys: number
  /** Files that were not taken in, with why. */
  skipped: string[]
}

/**
 * Takes an earlier version's `DATA_DIR/auth` folder (Baileys' multi-file
 * store) into the AuthStore in one transaction, then renames the folder, so
 * nobody scans a QR again because of an upgrade. Nothing is deleted. Does
 * nothing when there is no folder or the session is already stored.
 */
export async function importMultiFileAuth(folder: string, store: AuthStore, session: string, logger: Logger): Promise<ImportResult | undefined> {
  if (!existsSync(path.join(folder, 'creds.json')) || (await store.has(session))) return undefined
  const movedTo = `${folder}.imported-${new Date().toISOString().replace(/[:.]/g, '-')}`
  const creds = await readJson<AuthenticationCreds>(path.join(folder, 'creds.json'))
  if (!creds) {
    // An earlier version truncated files before writing them; a crash could leave this one empty.
    await rename(folder, movedTo)
    logger.warn({ folder: movedTo }, `The stored WhatsApp session in ${folder} has an empty or unreadable creds.json, so it cannot be used; it was moved to ${movedTo} and the number must be linked again`)
    return { movedTo, keys: 0, skipped: ['creds.json'] }
  }
  const keys: AuthKeyEntry[] = []
  const skipped: string[] = []
  for (const file of await readdir(folder)) {
    if (file === 'creds.json' || !file.endsWith('.json')) continue
    const named = parseFileName(file)
    const value = named ? await readJson<unknown>(path.join(folder, file)) : undefined
    if (!named || value === undefined) skipped.push(file)
    else keys.push({ ...named, value })
  }
  await store.restore(session, { creds, keys })
  await rename(folder, movedTo)
  logger.info(
    { keys: keys.length, skipped: skipped.length, folder: movedTo },
    `Imported the WhatsApp session from ${folder} (${keys.length} keys) into the store; the old folder is kept as ${movedTo}`,
  )
  if (skipped.length) logger.warn({ files: skipped }, `${skipped.length} files in ${movedTo} were empty, unreadable or of an unknown kind and were not imported`)
  return { movedTo, keys: keys.length, skipped }
}

/**
 * Undoes Baileys' file naming: '/' was written as '__' and ':' as '-'. A '-'
 * is turned back into ':' only where a jid's device or a sender key's
 * separators had one; a legacy group id keeps its '-'.
 */
export function parseFileName(file: string): { type: string; id: string } | undefined {
  const base = file.slice(0, -'.json'.length)
  const type = FILE_TYPES.find((t) => base.startsWith(`${t}-`))
  if (!type) return undefined
  const id = base
    .slice(type.length + 1)
    .replace(/__/g, '/')
    .replace(/--/g, '::')
    .replace(/(\d)-(\d+)@(s\.whatsapp\.net|lid|hosted|hosted\.lid)/g, '$1:$2@$3')
  return { type, id }
}

async function readJson<T>(file: string): Promise<T | undefined> {
  try {
    const text = await readFile(file, 'utf8')
    return text.trim() ? (JSON.parse(text, BufferJSON.reviver) as T) : undefined
  } catch {
    return undefined
  }
}
