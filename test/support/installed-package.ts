// waplug as an installed package, the way a bot folder or the container gets it:
// packed by npm pack, installed by npm from the tarball, offline from npm's cache.
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { readFileSync, readdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { runToEnd } from './capture.js'
import { REPO, built } from './package.js'

interface LockEntry {
  version?: string
  dev?: boolean
  devOptional?: boolean
  [key: string]: unknown
}
interface Lock {
  packages: Record<string, LockEntry>
  [key: string]: unknown
}
interface Manifest {
  name: string
  version: string
  dependencies?: Record<string, string>
  devDependencies?: Record<string, string>
  bin?: Record<string, string>
  engines?: Record<string, string>
  scripts?: Record<string, string>
}

/** This repository's dist/ (as built: `npm run build`) packed into `dir`, as npm pack makes it for a release; the tarball's path. */
export function packWaplug(dir: string): string {
  built('cli/main.js')
  // --ignore-scripts: `prepare` would rebuild dist/, which the test runs already have.
  const out = execFileSync('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', dir], { cwd: REPO, encoding: 'utf8' })
  return path.join(dir, out.trim().split('\n').pop() ?? '')
}

const repoManifest = (): Manifest => JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')) as Manifest
export const repoLock = (): Lock => JSON.parse(readFileSync(path.join(REPO, 'package-lock.json'), 'utf8')) as Lock

/**
 * A package-lock.json for a bot folder whose package.json depends on the waplug
 * tarball: waplug's own production entries of this repository's lock, so that
 * `npm ci --offline` resolves nothing and takes every package from npm's cache
 * (an offline `npm install` would need each package's registry metadata, which
 * the cache of a lock-based install does not hold).
 */
export function writeBotLock(dir: string, tarball: string): void {
  const bot = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as Manifest
  const waplug = repoManifest()
  const lock = repoLock()
  const packages: Record<string, LockEntry> = {
    '': { name: bot.name, version: bot.version, hasInstallScript: Boolean(bot.scripts?.postinstall), dependencies: bot.dependencies, devDependencies: bot.devDependencies },
    'node_modules/waplug': {
      version: waplug.version,
      resolved: `file:${path.relative(dir, tarball)}`,
      integrity: `sha512-${createHash('sha512').update(readFileSync(tarball)).digest('base64')}`,
      hasInstallScript: true,
      license: 'MIT',
      dependencies: waplug.dependencies,
      bin: waplug.bin,
      engines: waplug.engines,
    },
  }
  for (const [key, entry] of Object.entries(withAddresses(lock).packages)) {
    if (key === '' || entry.dev) continue
    const { devOptional: _devOptional, ...rest } = entry
    packages[key] = rest
  }
  writeFileSync(path.join(dir, 'package-lock.json'), `${JSON.stringify({ name: bot.name, version: bot.version, lockfileVersion: 3, requires: true, packages }, null, 2)}\n`)
}

/**
 * The lock with each registry package's tarball address written out (this
 * repository's lock leaves them out): npm then takes the tarball from its cache
 * by integrity, offline, without the package's registry metadata, which a cache
 * filled by `npm install <name>` may not hold in the form `npm ci` looks for.
 */
export function withAddresses(lock: Lock): Lock {
  const packages: Record<string, LockEntry> = {}
  for (const [key, entry] of Object.entries(lock.packages)) {
    const name = key.slice(key.lastIndexOf('node_modules/') + 'node_modules/'.length)
    packages[key] = key === '' || entry.resolved || entry.link ? entry : { resolved: `https://registry.npmjs.org/${name}/-/${name.split('/').pop()}-${entry.version}.tgz`, ...entry }
  }
  return { ...lock, packages }
}

/** `npm ci` in `dir`, offline; its output, or an error with it. */
export async function npmCi(dir: string, extra: string[] = []): Promise<string> {
  const { code, output } = await runToEnd('npm', ['ci', '--offline', '--no-audit', '--no-fund', ...extra], { cwd: dir })
  if (code !== 0) throw new Error(`npm ci failed in ${dir} (${code}):\n${output}`)
  return output
}

/** The names of the packages installed under `dir`/node_modules, scopes included. */
export function installedNames(dir: string): string[] {
  const root = path.join(dir, 'node_modules')
  return readdirSync(root).flatMap((name) => (name.startsWith('@') ? readdirSync(path.join(root, name)).map((inner) => `${name}/${inner}`) : [name]))
}
