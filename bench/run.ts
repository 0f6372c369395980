// `npm run bench`: the runtime against raw Baileys and bare Koa, on the
// emulator, printing a table and writing bench/results.json; `--sessions`,
// `--webhooks` and `--soak` are runs of their own (bench/sessions.ts,
// bench/webhooks.ts, bench/soak.ts).
import './quiet-libsignal.js'
import { writeFileSync } from 'node:fs'
import { runBench } from './bench.js'
import { parseOptions, USAGE } from './options.js'
import { profileReport } from './profile-report.js'
import { runSoak, soakTable, writeSoakResults } from './soak.js'
import { runSessionsBench, sessionsTable, writeSessionsResults } from './sessions.js'
import { markdownTable, textTable } from './table.js'
import { runWebhooksBench, webhooksTable, writeWebhooksResults } from './webhooks.js'

async function main(): Promise<void> {
  const argv = process.argv.slice(2)
  let options
  try {
    options = parseOptions(argv)
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}\n`)
    process.exit(2)
  }
  const command = ['npm run bench', ...(argv.length ? ['--', ...argv] : [])].join(' ')
  if (options.sessions) {
    const results = await runSessionsBench({ max: options.max, command }, (line) => process.stderr.write(`· ${line}\n`))
    writeSessionsResults(results, options.out)
    process.stdout.write(`\n${sessionsTable(results)}\n\nWritten to ${options.out} in ${results.elapsedS} s.\n`)
    return
  }
  if (options.soak > 0) {
    const results = await runSoak(options, command, (line) => process.stderr.write(`· ${line}\n`))
    writeSoakResults(results, options.out)
    process.stdout.write(`\n${soakTable(results)}\n\nCommand: ${command}. Written to ${options.out} in ${results.elapsedS} s.\n`)
    return
  }
  if (options.webhooks) {
    const results = await runWebhooksBench(options, command, (line) => process.stderr.write(`· ${line}\n`))
    writeWebhooksResults(results, options.out)
    process.stdout.write(`\n${webhooksTable(results)}\n\nWritten to ${options.out} in ${results.elapsedS} s.\n`)
    return
  }
  const results = await runBench(options, command, (line) => process.stderr.write(`· ${line}\n`))
  writeFileSync(options.out, `${JSON.stringify(results, null, 2)}\n`)
  process.stdout.write(`\n${textTable(results)}\n\nWritten to ${options.out} in ${results.elapsedS} s.\n`)
  if (options.markdown) process.stdout.write(`\n${markdownTable(results)}\n`)
  if (options.profile) process.stdout.write(`\n${profileReport(options.profile)}\n`)
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${(error as Error).stack ?? String(error)}\n`)
  process.exit(1)
})
