#!/usr/bin/env node
import { buildProgram } from './program.js'

const program = buildProgram()

// `start` is the default command, so commander would take a mistyped command for an argument of it.
const first = process.argv[2]
if (first !== undefined && first !== 'help' && !first.startsWith('-') && !program.commands.some((command) => command.name() === first || command.aliases().includes(first))) {
  const names = program.commands.map((command) => command.name())
  const near = names.find((name) => name.startsWith(first.slice(0, 2)))
  process.stderr.write(`waplug: unknown command '${first}'${near ? ` (did you mean ${near}?)` : ''}; run waplug --help for the commands
`)
  process.exit(1)
}

/** The `waplug` command (package.json `bin`). */
program
  .parseAsync(process.argv)
  .catch((error: unknown) => {
    // A command's failure is for a person: one line that says what to do, no stack.
    process.stderr.write(`waplug: ${(error as Error).message}\n`)
    process.exit(1)
  })
