import { defineAction, definePlugin, notFound } from 'waplug'

const help = defineAction<{ command?: string }, { commands: { command: string; usage: string; summary: string; aliases: string[] }[] }>({
  name: 'help',
  summary: 'List the commands you may use, or explain one',
  access: 'everyone',
  needsWhatsApp: false,
  input: {
    type: 'object',
    additionalProperties: false,
    properties: { command: { type: 'string', title: 'command', maxLength: 40 } },
  },
  output: {
    type: 'object',
    required: ['commands'],
    properties: {
      commands: {
        type: 'array',
        items: {
          type: 'object',
          required: ['command', 'aliases', 'summary', 'usage', 'plugin'],
          properties: {
            command: { type: 'string' },
            aliases: { type: 'array', items: { type: 'string' } },
            summary: { type: 'string' },
            usage: { type: 'string' },
            plugin: { type: 'string' },
          },
        },
      },
    },
  },
  errors: { 404: 'There is no such command the caller may use.' },
  chat: { command: 'help', aliases: ['commands'], args: ['command'] },
  successMessage: 'Help',
  failureMessage: 'Failed to show help',
  handler(input, { commands }) {
    const all = commands()
    if (!input.command) return { commands: all }
    const wanted = input.command.replace(/^\W+/, '').toLowerCase()
    const match = all.find((c) => c.command === wanted || c.aliases.includes(wanted))
    // The usage line starts with the command as it is sent: '!help'.
    const helpItself = all.find((c) => c.command === 'help')?.usage.split(' ')[0] ?? 'help'
    if (!match) throw notFound(`There is no command '${wanted}' you may use; send ${helpItself} alone for the list`)
    return { commands: [match] }
  },
  reply({ commands }, input) {
    if (input.command && commands[0]) {
      const [c] = commands
      const aliases = c.aliases.length ? `\nAlso: ${c.aliases.join(', ')}` : ''
      return `${c.usage}\n${c.summary}${aliases}`
    }
    return ['Commands you can use:', ...commands.map((c) => `${c.usage} — ${c.summary}`)].join('\n')
  },
})

const ping = defineAction<Record<string, never>, { pong: true }>({
  name: 'ping',
  summary: 'Check that the bot answers',
  access: 'everyone',
  needsWhatsApp: false,
  input: { type: 'object', additionalProperties: false, properties: {} },
  output: { type: 'object', required: ['pong'], properties: { pong: { const: true } } },
  chat: { command: 'ping' },
  successMessage: 'pong',
  failureMessage: 'Failed to answer',
  handler: () => ({ pong: true }),
  reply: () => 'pong',
})

/** Core features are plugins too: this one only uses the public SDK. */
export default definePlugin({
  name: 'help',
  version: '0.1.0',
  setup(plugin) {
    plugin.action(help)
    plugin.action(ping)
  },
})
