import { Command } from 'commander'

export function startCommand(): Command {
  return new Command('start')
    .description('Start the bot: load the plugins, serve the HTTP API, connect to WhatsApp (what `npm start` runs).')
    .option('-p, --port <port>', 'HTTP port (overrides config and PORT)')
    .option('-d, --data-dir <dir>', 'where sessions and stores live (overrides config and DATA_DIR)')
    .addHelpText(
      'after',
      `
Settings come from waplug's defaults, then ./config/local.json, then the
environment (PORT, DATA_DIR, API_KEY, LOG_LEVEL, ...), then these options.
SIGINT and SIGTERM stop it cleanly.

Examples:
  $ waplug start
  $ waplug start --port 8080 --data-dir /data
  $ API_KEY=secret LOG_LEVEL=debug waplug start`,
    )
    .action(async (options: { port?: string; dataDir?: string }) => {
      // The runtime reads the environment; an option is one more layer on top of it.
      if (options.port !== undefined) process.env.PORT = options.port
      if (options.dataDir !== undefined) process.env.DATA_DIR = options.dataDir
      await import('../../core/main.js')
    })
}
