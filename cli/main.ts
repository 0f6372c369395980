#!/usr/bin/env node
import { buildProgram } from './program.js'

/** The `waplug` command (package.json `bin`). */
buildProgram()
  .parseAsync(process.argv)
  .catch((error: unknown) => {
    // A command's failure is for a person: one line that says what to do, no stack.
    process.stderr.write(`waplug: ${(error as Error).message}\n`)
    process.exit(1)
  })
