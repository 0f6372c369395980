import path from 'node:path'
import { Command } from 'commander'
import { BOT_CONFIG, GITIGNORE, NPMRC, botPackageJson, botReadme } from '../templates/bot.js'
import { TSCONFIG, pluginIndex, pluginTest } from '../templates/plugin.js'
import { SPEC_HELP, WAPLUG_RANGE, tsxRange, writeNew } from './files.js'

export function initCommand(): Command {
  return new Command('init')
    .description('Make a bot folder: package.json, config/local.json (with comments), an example plugin with its test, .gitignore.')
    .argument('[dir]', 'the folder to create or fill', '.')
    .option('--waplug <spec>', SPEC_HELP)
    .addHelpText(
      'after',
      `
Nothing is overwritten: if one of the files exists, nothing is written.
Then: cd <dir> && npm install && npm run sandbox

Examples:
  $ waplug init my-bot
  $ waplug init my-bot --waplug file:../waplug-0.1.0.tgz
  $ waplug init .`,
    )
    .action((dir: string, options: { waplug?: string }) => {
      const name = path.basename(path.resolve(dir)).toLowerCase().replace(/[^a-z0-9-]+/g, '-') || 'my-bot'
      const written = writeNew(dir, {
        'package.json': botPackageJson(name, options.waplug ?? WAPLUG_RANGE, tsxRange()),
        'config/local.json': BOT_CONFIG,
        'plugins/hello/index.ts': pluginIndex('hello', WAPLUG_RANGE),
        'plugins/hello/test/hello.test.ts': pluginTest('hello'),
        'tsconfig.json': TSCONFIG,
        '.gitignore': GITIGNORE,
        '.npmrc': NPMRC,
        'README.md': botReadme(name),
      })
      process.stdout.write(
        [`Made a bot in ${path.resolve(dir)}:`, ...written.map((file) => `  ${file}`), '', 'Next:', `  cd ${dir}`, '  npm install', '  npm run sandbox', ''].join('\n'),
      )
    })
}
