// The --import files for a runtime started as `node dist/core/main.js`: trust
// in the emulator, and the crash preload. They are made as JavaScript in a
// folder of the test's, because loading TypeScript in the child (tsx) costs
// it a second or more at every start, which a test restarting it dozens of
// times cannot afford, and would not be the program `npm start` runs.
import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import ts from 'typescript'
import { built, REPO } from './package.js'

/** Writes both preloads into `dir` and returns the node flags that load them. */
export function childPreloads(dir: string): string[] {
  // The compiled emulator comes with the package (core/testing uses it); its trust module only needs calling.
  const trust = path.join(dir, 'trust-emulator.mjs')
  writeFileSync(trust, `import { installEmulatorTrust } from ${JSON.stringify(pathToFileURL(built('emulator/trust.js')).href)}\ninstallEmulatorTrust()\n`)
  const source = path.join(REPO, 'test', 'support', 'crash-preload.ts')
  const { outputText } = ts.transpileModule(readFileSync(source, 'utf8'), {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true },
    fileName: source,
  })
  const crash = path.join(dir, 'crash-preload.mjs')
  writeFileSync(crash, outputText)
  return ['--import', pathToFileURL(trust).href, '--import', pathToFileURL(crash).href]
}
