// npm runs `prepare` after `npm ci` / `npm install` in a clone, and before `npm pack`.
// It builds dist/ when the compiler is installed. A production install (`npm ci --omit=dev`)
// has no compiler: there dist/ comes from a build stage or the packed package, so the build is skipped.
import { spawnSync } from 'node:child_process'
import { createRequire } from 'node:module'

try {
  createRequire(import.meta.url).resolve('typescript')
} catch {
  process.stdout.write('waplug: TypeScript is not installed (production install), so dist/ is not rebuilt\n')
  process.exit(0)
}
const build = spawnSync('npm', ['run', 'build'], { stdio: 'inherit', shell: process.platform === 'win32' })
process.exit(build.status ?? 1)
