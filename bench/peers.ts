// The peer framework of `npm run bench -- --peers` lives in a folder of its
// own with its own lock file, installed here on demand rather than by the
// project's `npm ci`: a user of the runtime never downloads it, and its
// dependencies (its own copy of Baileys among them) never meet the project's.
import { execFileSync } from 'node:child_process'
import { existsSync, statSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const bench = path.dirname(fileURLToPath(import.meta.url))
export const BUILDERBOT_DIR = path.join(bench, 'peers', 'builderbot')

/** Runs `npm ci` in the peer's folder when it was never installed or its lock file changed since. */
export function installPeers(progress: (line: string) => void): void {
  const lock = path.join(BUILDERBOT_DIR, 'package-lock.json')
  // npm writes this copy of the lock into node_modules on every install.
  const installed = path.join(BUILDERBOT_DIR, 'node_modules', '.package-lock.json')
  if (existsSync(installed) && statSync(installed).mtimeMs >= statSync(lock).mtimeMs) return
  progress('installing the peer (BuilderBot) in bench/peers/builderbot: npm ci')
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'
  try {
    execFileSync(npm, ['ci', '--no-audit', '--no-fund'], { cwd: BUILDERBOT_DIR, stdio: 'pipe' })
  } catch (error) {
    const output = (error as { stderr?: Buffer }).stderr?.toString() ?? ''
    throw new Error(`could not install BuilderBot for --peers (npm ci in ${BUILDERBOT_DIR}); it needs the npm registry:\n${output || String(error)}`, { cause: error })
  }
}
