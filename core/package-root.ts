import { existsSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

/** The package.json that governs the files in `dir`: the nearest one at or above it. */
export function nearestPackageJson(dir: string): string | undefined {
  for (let current = dir; ; current = path.dirname(current)) {
    const manifest = path.join(current, 'package.json')
    if (existsSync(manifest)) return manifest
    if (path.dirname(current) === current) return undefined
  }
}

function packageRoot(): string {
  const here = path.dirname(fileURLToPath(import.meta.url))
  const manifest = nearestPackageJson(here)
  if (!manifest) throw new Error(`waplug's package.json is missing from the folders above ${here}; reinstall waplug`)
  return path.dirname(manifest)
}

/**
 * waplug's own folder, holding its package.json and config/default.json. Found
 * by looking upwards because this module runs from two depths: core/ (the
 * sources, under tsx) and dist/core/ (compiled), and dist/ has no package.json.
 */
export const PACKAGE_ROOT = packageRoot()
