// The peers of `npm run bench -- --peers` live in folders of their own with
// their own lock files, installed here on demand rather than by the project's
// `npm ci`: a user of the runtime never downloads them, and their
// dependencies (their own copies of Baileys among them) never meet the
// project's. One is a peer framework (BuilderBot); the other is Baileys as
// published, without the patches the project applies to its own copy, for
// the raw bot to run on as a bot written by hand would.
import { execFileSync } from 'node:child_process'
import { existsSync, statSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const bench = path.dirname(fileURLToPath(import.meta.url))
export const BUILDERBOT_DIR = path.join(bench, 'peers', 'builderbot')
export const PUBLISHED_DIR = path.join(bench, 'peers', 'baileys')
/** The entry file of Baileys as published, in its folder. */
export const PUBLISHED_BAILEYS = path.join(PUBLISHED_DIR, 'node_modules', '@whiskeysockets', 'baileys', 'lib', 'index.js')

const PEERS = [
  { name: 'BuilderBot', dir: BUILDERBOT_DIR },
  { name: 'Baileys as published', dir: PUBLISHED_DIR },
]

/** Runs `npm ci` in each peer's folder when it was never installed or its lock file changed since. */
export function installPeers(progress: (line: string) => void): void {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'
  for (const { name, dir } of PEERS) {
    const lock = path.join(dir, 'package-lock.json')
    // npm writes this copy of the lock into node_modules on every install.
    const installed = path.join(dir, 'node_modules', '.package-lock.json')
    if (existsSync(installed) && statSync(installed).mtimeMs >= statSync(lock).mtimeMs) continue
    progress(`installing the peer (${name}) in ${path.relative(path.join(bench, '..'), dir)}: npm ci`)
    try {
      execFileSync(npm, ['ci', '--no-audit', '--no-fund'], { cwd: dir, stdio: 'pipe' })
    } catch (error) {
      const output = (error as { stderr?: Buffer }).stderr?.toString() ?? ''
      throw new Error(`could not install ${name} for --peers (npm ci in ${dir}); it needs the npm registry:\n${output || String(error)}`, { cause: error })
    }
  }
}
