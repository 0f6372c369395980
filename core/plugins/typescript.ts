import { fileURLToPath } from 'node:url'

let registered: Promise<unknown> | undefined

/**
 * TypeScript plugins run as they are. Plain Node cannot import them, so the
 * first one registers tsx for the rest of the process; a bot without them
 * never loads it. Running from its .ts sources (tests, `npm run dev`), waplug
 * is itself under tsx, which compiles them already.
 */
export function readyToImport(url: string): Promise<unknown> {
  const typescript = url.startsWith('file:') && /\.[cm]?tsx?$/.test(fileURLToPath(url))
  if (!typescript || import.meta.url.endsWith('.ts')) return Promise.resolve()
  registered ??= import('tsx/esm/api').then(({ register }) => register())
  return registered
}
