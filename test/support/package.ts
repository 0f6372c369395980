// waplug as a bot or a plugin author gets it: this repository as a package,
// whose exports are the compiled files in dist/ (`npm run build`).
import { mkdirSync, mkdtempSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'

export const REPO = path.resolve(import.meta.dirname, '..', '..')

/** When anything `npm run build` compiles last changed. */
function newestSource(): number {
  const files = ['tsconfig.json', 'tsconfig.build.json']
  for (const dir of ['core', 'plugins', 'emulator', 'cli']) {
    files.push(...readdirSync(path.join(REPO, dir), { recursive: true, encoding: 'utf8' }).map((file) => path.join(dir, file)))
  }
  return Math.max(...files.filter((file) => /\.(ts|json)$/.test(file)).map((file) => statSync(path.join(REPO, file)).mtimeMs))
}

/**
 * The path of a compiled file ('core/main.js' is dist/core/main.js). A dist/
 * older than the sources would test yesterday's waplug, so it is refused.
 */
export function built(file: string): string {
  const compiled = path.join(REPO, 'dist', file)
  if ((statSync(compiled, { throwIfNoEntry: false })?.mtimeMs ?? 0) < newestSource()) {
    throw new Error(`${compiled} is missing or older than the sources: run npm run build (npm test does)`)
  }
  return compiled
}

/** `node_modules/<name>` in `dir`, linked to `target`, as `npm link` or `npm install <folder>` make it. */
function link(dir: string, name: string, target: string): void {
  mkdirSync(path.dirname(path.join(dir, 'node_modules', name)), { recursive: true })
  symlinkSync(target, path.join(dir, 'node_modules', name), 'dir')
}

/** waplug installed in `dir`: a link to this repository, which loads the compiled package. */
export function linkWaplug(dir: string): void {
  built('core/index.js')
  link(dir, 'waplug', REPO)
}

/**
 * A plugin author's folder, as docs/plugins.md's first steps make it: an ES
 * module package with waplug, tsx, typescript and @types/node installed.
 */
export function authorFolder(prefix: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix))
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'my-bot', version: '1.0.0', type: 'module' }))
  linkWaplug(dir)
  for (const tool of ['tsx', 'typescript', '@types/node']) link(dir, tool, path.join(REPO, 'node_modules', tool))
  return dir
}
