import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'

export const GENERATED_KEY_FILE = 'api-key'

/**
 * The API is never open. With no key and no JWT secret configured, the first
 * start makes a key, keeps it in the data dir (readable by this user only), and
 * says so once; later starts reuse it quietly.
 */
export async function ensureApiKey(dataDir: string): Promise<{ key: string; file: string; created: boolean }> {
  const file = path.resolve(dataDir, GENERATED_KEY_FILE)
  if (existsSync(file)) {
    const key = (await readFile(file, 'utf8')).trim()
    if (key.length >= 16) return { key, file, created: false }
  }
  const key = `wpk_${randomBytes(32).toString('base64url')}`
  await mkdir(path.dirname(file), { recursive: true })
  await writeFile(file, `${key}\n`, { mode: 0o600 })
  return { key, file, created: true }
}

/**
 * Which of `keys` the candidate is (its index, or -1). Compares in constant
 * time: both sides are hashed to the same length first, and every key is
 * compared, so neither the key's content nor its length nor its place leaks
 * through timing.
 */
export function makeKeyMatcher(keys: string[]): (candidate: string) => number {
  const digests = keys.map((key) => createHash('sha256').update(key).digest())
  return (candidate) => {
    const digest = createHash('sha256').update(candidate).digest()
    let found = -1
    for (const [index, known] of digests.entries()) if (timingSafeEqual(known, digest)) found = index
    return found
  }
}
