#!/usr/bin/env node
// Plain JavaScript on purpose: npm runs this as waplug's postinstall (and a bot folder's, as
// `waplug patch`), before anything is compiled and without dev dependencies.
//
// patch-package finds the packages to patch under the node_modules of the folder it is run
// from; run from a dependency's postinstall that is node_modules/waplug/node_modules, while npm
// has usually hoisted Baileys to the bot's own node_modules, so it patches nothing or the wrong
// copy. Here each package is found the way Node finds it when waplug's code loads it (libsignal
// from Baileys' folder, since Baileys is what loads it), wherever npm placed it, and the patch
// is applied to that copy. Applying is idempotent: a file that already has the patch is left alone.
import { readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { applyPatch, parsePatch, reversePatch } from 'diff'

const waplugRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

/** Packages waplug does not load itself, and the package that does. */
const LOADED_BY = { libsignal: '@whiskeysockets/baileys' }

/** `@whiskeysockets+baileys+7.0.0-rc14.patch` → the package's name and the version the patch was made for. */
function describe(fileName) {
  const parts = fileName.replace(/\.patch$/, '').split('+')
  const version = parts.pop()
  return { name: parts.join('/'), version }
}

/** The folder of the copy of `name` that waplug's code (in `root`) ends up loading. */
function packageFolder(name, root) {
  const fromWaplug = createRequire(path.join(root, 'package.json'))
  const loader = LOADED_BY[name]
  const resolver = loader ? createRequire(fromWaplug.resolve(`${loader}/package.json`)) : fromWaplug
  return path.dirname(resolver.resolve(`${name}/package.json`))
}

/**
 * Applies every patch in waplug's patches/ folder to the copy Node loads.
 * Returns one line per package; throws, changing nothing of that package, when a patch does not fit.
 */
export function applyPatches({ root = waplugRoot, patchDir = path.join(root, 'patches') } = {}) {
  const report = []
  for (const fileName of readdirSync(patchDir).filter((f) => f.endsWith('.patch')).sort()) {
    const { name, version } = describe(fileName)
    let folder
    try {
      folder = packageFolder(name, root)
    } catch {
      throw new Error(`${name} is not installed where waplug can load it; run npm install in your bot folder`)
    }
    const installed = JSON.parse(readFileSync(path.join(folder, 'package.json'), 'utf8')).version
    if (installed !== version) {
      throw new Error(`waplug's patch ${fileName} is for ${name} ${version}, but ${installed} is installed in ${folder}; install the version waplug depends on`)
    }
    const prefix = `node_modules/${name}/`
    const writes = []
    let already = 0
    for (const filePatch of parsePatch(readFileSync(path.join(patchDir, fileName), 'utf8'))) {
      const relative = filePatch.oldFileName.replace(/^a\//, '')
      if (!relative.startsWith(prefix)) throw new Error(`${fileName} changes ${relative}, outside ${name}`)
      const file = path.join(folder, relative.slice(prefix.length))
      const original = readFileSync(file, 'utf8')
      const patched = applyPatch(original, filePatch)
      if (patched !== false) {
        writes.push({ file, patched })
      } else if (applyPatch(original, reversePatch(filePatch)) !== false) {
        already++
      } else {
        throw new Error(`${fileName} does not fit ${file}: the file was changed by something else; reinstall ${name} (rm -rf ${folder} && npm install)`)
      }
    }
    // Every file of a package was checked before any is written: no half-patched package.
    for (const { file, patched } of writes) {
      const temporary = `${file}.waplug-${process.pid}`
      writeFileSync(temporary, patched, { mode: statSync(file).mode })
      renameSync(temporary, file)
    }
    report.push(`${name} ${version} in ${folder}: ${writes.length ? `patched ${writes.length} file(s)` : ''}${writes.length && already ? ', ' : ''}${already ? `${already} file(s) already patched` : ''}`)
  }
  return report
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  try {
    for (const line of applyPatches()) process.stdout.write(`waplug: ${line}\n`)
  } catch (error) {
    process.stderr.write(`waplug: could not apply its patches to Baileys and libsignal: ${error.message}\n`)
    process.exit(1)
  }
}
