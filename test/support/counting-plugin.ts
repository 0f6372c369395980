import { defineAction, definePlugin, type IncomingMessage, type PluginDefinition } from '../../core/index.js'

export interface CountingPlugin {
  plugin: PluginDefinition
  /** How often each message (by id) ran a command. */
  runs: Map<string, number>
  /** The messages plugins heard (what ran no command). */
  heard: Pick<IncomingMessage, 'id' | 'text' | 'backlog'>[]
}

/**
 * `!count <n>` answers `counted <n>` (with `!tally <n>` as how to check it),
 * `!look` only reads (it is served over GET), `!slow` takes 300 ms; each
 * notes how often a message ran it.
 */
export function countingPlugin(): CountingPlugin {
  const runs = new Map<string, number>()
  const heard: CountingPlugin['heard'] = []
  const ran = (id: string) => runs.set(id, (runs.get(id) ?? 0) + 1)
  const plugin = definePlugin({
    name: 'counter',
    version: '1.0.0',
    setup(p) {
      p.action(
        defineAction<{ n?: string }, { n?: string }>({
          name: 'count',
          summary: 'Counts how often it runs',
          access: 'everyone',
          needsWhatsApp: false,
          input: { type: 'object', additionalProperties: false, properties: { n: { type: 'string' } } },
          chat: { command: 'count', args: ['n'] },
          successMessage: 'Counted',
          failureMessage: 'Failed to count',
          handler: (input, { caller }) => {
            ran(caller.requestId)
            return input
          },
          reply: ({ n }) => `counted ${n}`,
          check: ({ n }) => `tally ${n}`,
        }),
      )
      p.action(
        defineAction({
          name: 'look',
          summary: 'Only reads',
          access: 'everyone',
          needsWhatsApp: false,
          input: { type: 'object', additionalProperties: false, properties: {} },
          http: { method: 'GET', path: '/look' },
          chat: { command: 'look' },
          successMessage: 'Looked',
          failureMessage: 'Failed to look',
          handler: (_input, { caller }) => {
            ran(caller.requestId)
            return {}
          },
          reply: () => 'looked',
        }),
      )
      p.action(
        defineAction({
          name: 'slow',
          summary: 'Takes its time',
          access: 'everyone',
          needsWhatsApp: false,
          input: { type: 'object', additionalProperties: false, properties: {} },
          chat: { command: 'slow' },
          successMessage: 'Done slowly',
          failureMessage: 'Failed',
          handler: async (_input, { caller }) => {
            ran(caller.requestId)
            await new Promise((resolve) => setTimeout(resolve, 300))
            return {}
          },
          reply: () => 'slow done',
        }),
      )
      p.on('message', (message) => void heard.push({ id: message.id, text: message.text, backlog: message.backlog }))
    },
  })
  return { plugin, runs, heard }
}
