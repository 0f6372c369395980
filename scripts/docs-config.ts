// npm run docs:config: rewrites the configuration table in docs/configuration.md from the schema.
import { readFileSync, renameSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { withConfigTable } from './config-reference.js'

const file = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'docs', 'configuration.md')
const before = readFileSync(file, 'utf8')
const after = withConfigTable(before)
if (after === before) {
  console.log('docs/configuration.md is up to date')
} else {
  // Written aside and renamed, so an interrupted run never leaves half a file.
  writeFileSync(`${file}.tmp`, after)
  renameSync(`${file}.tmp`, file)
  console.log('docs/configuration.md: configuration table rewritten')
}
