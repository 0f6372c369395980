import path from 'node:path'
import { Command } from 'commander'
import { TSCONFIG, pluginIndex, pluginPackageJson, pluginTest } from '../templates/plugin.js'
import { SPEC_HELP, WAPLUG_RANGE, tsxRange, writeNew } from './files.js'

/** A plugin name that is also a valid chat command and URL segment. */
const NAME = /^[a-z][a-z0-9-]{0,31}$/

export function pluginCommand(): Command {
  const plugin = new Command('plugin').description('Work on plugins.').addHelpText('after', '\nExamples:\n  $ waplug plugin new greeter')
  plugin.addCommand(
    new Command('new')
      .description('Make a plugin package: index.ts with one action (a chat command and an HTTP route), a test on the testing kit, package.json, tsconfig.json.')
      .argument('<name>', 'the plugin\'s name: lowercase letters, digits and hyphens, at most 32, starting with a letter')
      .option('--dir <dir>', 'where to make it (default: ./<name>)')
      .option('--waplug <spec>', SPEC_HELP)
      .addHelpText(
        'after',
        `
Its test passes as generated: cd <name> && npm install && npm test

Examples:
  $ waplug plugin new greeter
  $ waplug plugin new greeter --dir plugins/greeter
  $ waplug plugin new greeter --waplug file:../waplug-0.1.0.tgz`,
      )
      .action((name: string, options: { dir?: string; waplug?: string }) => {
        if (!NAME.test(name)) throw new Error(`"${name}" cannot be a plugin name: use lowercase letters, digits and hyphens, at most 32, starting with a letter (e.g. greeter)`)
        const dir = options.dir ?? name
        const written = writeNew(dir, {
          'package.json': pluginPackageJson(name, options.waplug ?? WAPLUG_RANGE, WAPLUG_RANGE, tsxRange()),
          'index.ts': pluginIndex(name, WAPLUG_RANGE),
          [`test/${name}.test.ts`]: pluginTest(name),
          'tsconfig.json': TSCONFIG,
          '.gitignore': 'node_modules/\n',
        })
        process.stdout.write(
          [`Made plugin ${name} in ${path.resolve(dir)}:`, ...written.map((file) => `  ${file}`), '', 'Next:', `  cd ${dir}`, '  npm install', '  npm test', ''].join('\n'),
        )
      }),
  )
  return plugin
}
