import { Command } from 'commander'

export function sandboxCommand(): Command {
  return new Command('sandbox')
    .description('Run the bot against an emulated WhatsApp on this machine, paired automatically, with a prompt to chat as simulated contacts.')
    .option('--logs', 'show the runtime\'s info logs (default: warnings and errors only)')
    .addHelpText(
      'after',
      `
Plugins and settings are those of \`waplug start\` (./config/local.json and the
environment); the session lives in DATA_DIR/sandbox, apart from the real one.
Type :help at the prompt for its commands, :quit to leave.

Examples:
  $ waplug sandbox
  $ waplug sandbox --logs
  $ PORT=7002 waplug sandbox`,
    )
    .action(async () => {
      // The sandbox reads --logs from the process's arguments itself.
      await import('../../emulator/sandbox/main.js')
    })
}
