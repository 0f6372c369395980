// `npm run docs:http`: writes docs/http-reference.md from the API description
// of a runtime with every built-in plugin (started on the emulator, offline).
// test/openapi/document.test.ts fails when the file is out of date.
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { referenceMarkdown } from '../core/openapi/markdown.js'
import type { OpenApiDocument } from '../core/openapi/index.js'
import { PACKAGE_ROOT } from '../core/package-root.js'
import { startTestBot } from '../core/testing/index.js'

export const REFERENCE_FILE = path.join(PACKAGE_ROOT, 'docs', 'http-reference.md')

const bot = await startTestBot({ builtins: true })
try {
  const answer = await fetch(`${bot.url}/openapi.json`)
  if (!answer.ok) throw new Error(`GET /openapi.json answered ${answer.status}`)
  writeFileSync(REFERENCE_FILE, referenceMarkdown((await answer.json()) as OpenApiDocument))
  console.log(`wrote ${path.relative(process.cwd(), REFERENCE_FILE)}`)
} finally {
  await bot.stop()
}
