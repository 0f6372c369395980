import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { Command } from 'commander'
import { PACKAGE_ROOT } from '../../core/package-root.js'

interface PatchScript {
  applyPatches(): string[]
}

export function patchCommand(): Command {
  return new Command('patch')
    .description("Apply waplug's fixes to Baileys and libsignal, to the copies waplug loads, wherever npm installed them.")
    .addHelpText(
      'after',
      `
waplug's own install does this (its postinstall), but npm may skip a
dependency's install scripts (--ignore-scripts, or an npm that asks you to
approve them). A bot folder made by \`waplug init\` runs it as its own
postinstall. Running it again is harmless: patched files are left alone.

Examples:
  $ waplug patch
  $ npm pkg set scripts.postinstall="waplug patch"`,
    )
    .action(async () => {
      // The same script npm runs at install: plain JavaScript, so it runs before anything is compiled.
      const script = (await import(pathToFileURL(path.join(PACKAGE_ROOT, 'scripts', 'apply-patches.mjs')).href)) as PatchScript
      for (const line of script.applyPatches()) process.stdout.write(`${line}\n`)
    })
}
