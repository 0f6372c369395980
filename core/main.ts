import { StartupError } from './errors.js'
import { createRuntime } from './runtime.js'

/** `npm start`: one runtime from config files and the environment, stopped cleanly on SIGINT/SIGTERM. */
async function main(): Promise<void> {
  const runtime = createRuntime()
  process.on('unhandledRejection', (reason) => runtime.logger.error({ err: reason }, 'unhandled promise rejection (kept running)'))
  let stopping = false
  const shutdown = (signal: string) => {
    if (stopping) return
    stopping = true
    runtime.logger.info(`${signal}: stopping`)
    runtime.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        runtime.logger.error({ err: error }, 'could not stop cleanly')
        process.exit(1)
      },
    )
  }
  process.once('SIGINT', () => shutdown('SIGINT'))
  process.once('SIGTERM', () => shutdown('SIGTERM'))
  await runtime.start()
}

main().catch((error: unknown) => {
  // A start error is for a person: one line, no stack.
  const message = error instanceof StartupError ? error.message : `waplug could not start: ${(error as Error).message}`
  process.stderr.write(`${message}\n`)
  process.exit(1)
})
