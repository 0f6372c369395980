/** The files of a plugin: one action, `!<name> <who>` in chat and `POST /<name>` over HTTP, and its test. */

export function pluginIndex(name: string, waplugRange: string): string {
  return `import { badRequest, defineAction, definePlugin } from 'waplug'

interface Options {
  greeting: string
}

export default definePlugin<Options>({
  name: '${name}',
  version: '0.1.0',
  waplug: '${waplugRange}',
  // The bot's operator sets these under pluginOptions.${name}; a wrong value disables the plugin with a clear line.
  options: {
    type: 'object',
    additionalProperties: false,
    properties: { greeting: { type: 'string', minLength: 1, default: 'Hello' } },
  },
  setup(plugin) {
    plugin.action(
      defineAction<{ name: string }, { text: string }>({
        name: '${name}',
        summary: 'Greet someone',
        access: 'everyone',
        needsWhatsApp: false,
        input: {
          type: 'object',
          additionalProperties: false,
          required: ['name'],
          properties: { name: { type: 'string', title: 'Name' } },
        },
        http: { method: 'POST', path: '/${name}' },
        chat: { command: '${name}', args: ['...name'] },
        successMessage: 'Greeted',
        failureMessage: 'Failed to greet',
        handler({ name }) {
          if (name.trim().toLowerCase() === 'nobody') throw badRequest('Greet somebody: give a name')
          return { text: \`\${plugin.options.greeting}, \${name}!\` }
        },
        reply: ({ text }) => text,
      }),
    )
  },
})
`
}

export function pluginTest(name: string): string {
  return `import assert from 'node:assert/strict'
import { it } from 'node:test'
import { startTestBot } from 'waplug/testing'
import plugin from '../index.ts'

// startTestBot runs the real runtime with this plugin, logged in to an emulated WhatsApp on this machine.
it('greets in chat and over HTTP, and says what is wrong with a bad request', async (t) => {
  const bot = await startTestBot(t, { plugins: [plugin], config: { pluginOptions: { '${name}': { greeting: 'Hi' } } } })
  assert.deepEqual(await bot.say('!${name} Ana'), ['Hi, Ana!'])
  const ok = await bot.request('POST', '/${name}', { name: 'Bo' })
  assert.deepEqual([ok.status, ok.envelope], [200, { status: true, code: 200, message: 'Greeted', data: { text: 'Hi, Bo!' } }])
  const bad = await bot.request('POST', '/${name}', { name: 'nobody' })
  assert.equal(bad.status, 400)
})
`
}

export function pluginPackageJson(name: string, waplugSpec: string, waplugRange: string, tsxRange: string): string {
  return `${JSON.stringify(
    {
      name: `waplug-plugin-${name}`,
      version: '0.1.0',
      description: `A waplug plugin: !${name} in chat, POST /${name} over HTTP.`,
      type: 'module',
      exports: './index.ts',
      scripts: { test: 'node --import tsx --test test/*.test.ts' },
      peerDependencies: { waplug: waplugRange },
      devDependencies: { tsx: tsxRange, waplug: waplugSpec },
    },
    null,
    2,
  )}\n`
}

export const TSCONFIG = `${JSON.stringify(
  {
    compilerOptions: {
      target: 'ES2022',
      module: 'nodenext',
      moduleResolution: 'nodenext',
      strict: true,
      allowImportingTsExtensions: true,
      noEmit: true,
      skipLibCheck: true,
      types: ['node'],
    },
  },
  null,
  2,
)}\n`
