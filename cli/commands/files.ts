import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { PACKAGE_ROOT } from '../../core/package-root.js'
import { WAPLUG_VERSION } from '../../core/version.js'

/** Writes files under `dir`, refusing before writing anything if one of them exists. */
export function writeNew(dir: string, files: Record<string, string>): string[] {
  const taken = Object.keys(files).filter((file) => existsSync(path.join(dir, file)))
  if (taken.length > 0) {
    throw new Error(`${path.resolve(dir)} already has ${taken.join(', ')}; choose an empty or new folder (nothing was written)`)
  }
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true })
    writeFileSync(path.join(dir, file), text)
  }
  return Object.keys(files)
}

/** The range a new bot or plugin asks for: this waplug's minor line. */
export const WAPLUG_RANGE = `^${WAPLUG_VERSION}`

/** The tsx waplug itself runs TypeScript plugins with. */
export function tsxRange(): string {
  const manifest = JSON.parse(readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> }
  return manifest.dependencies?.tsx ?? '^4'
}

export const SPEC_HELP = `how the new package.json asks for waplug (default "${WAPLUG_RANGE}"); waplug is not on the npm registry yet, so give a tarball or git URL, e.g. file:../waplug-${WAPLUG_VERSION}.tgz`
