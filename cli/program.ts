import { Command } from 'commander'
import { WAPLUG_VERSION } from '../core/version.js'
import { initCommand } from './commands/init.js'
import { patchCommand } from './commands/patch.js'
import { pluginCommand } from './commands/plugin.js'
import { sandboxCommand } from './commands/sandbox.js'
import { startCommand } from './commands/start.js'

export function buildProgram(): Command {
  const program = new Command('waplug')
    .description('A WhatsApp bot runtime: plugins define actions, served as HTTP routes and as chat commands.')
    .version(WAPLUG_VERSION, '-v, --version', 'print the version of waplug')
    .helpOption('-h, --help', 'show help for a command')
    .showHelpAfterError('(run waplug --help for the commands)')
    .addHelpText(
      'after',
      `
Examples:
  $ waplug                      start the bot from this folder (same as waplug start)
  $ waplug sandbox              try the bot on an emulated WhatsApp, no phone needed
  $ waplug init my-bot          make a bot folder
  $ waplug plugin new greeter   make a plugin package with a test
  $ waplug <command> --help     more about one command`,
    )
  program.addCommand(startCommand(), { isDefault: true })
  program.addCommand(sandboxCommand())
  program.addCommand(initCommand())
  program.addCommand(pluginCommand())
  program.addCommand(patchCommand())
  return program
}
