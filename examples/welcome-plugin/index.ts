/**
 * waplug-plugin-welcome: greets whoever joins a group the bot is in, and
 * counts them per group (`!welcomes`).
 *
 *   { "plugins": ["waplug-plugin-welcome"],
 *     "pluginOptions": { "welcome": { "greeting": "Hi {name}, this is {group}" } } }
 */
import { defineAction, definePlugin, type GroupEvent } from 'waplug'

export interface WelcomeOptions {
  /** The greeting; `{name}` becomes the @mentions of who joined, `{group}` the group's subject. */
  greeting: string
  /** Whether to greet (and count) at all. */
  enabled: boolean
}

/** The store key holding how many people were welcomed in a group. */
export const countKey = (group: string) => `welcomed:${group}`

/** `{name}` and `{group}` filled in. */
export function fillGreeting(template: string, values: { name: string; group: string }): string {
  return template.replaceAll('{name}', values.name).replaceAll('{group}', values.group)
}

export default definePlugin<WelcomeOptions>({
  name: 'welcome',
  version: '1.0.0',
  waplug: '^0.1.0',
  options: {
    type: 'object',
    additionalProperties: false,
    properties: {
      greeting: { type: 'string', minLength: 1, default: 'Welcome {name} to {group}!' },
      enabled: { type: 'boolean', default: true },
    },
  },
  setup(plugin) {
    const { greeting, enabled } = plugin.options
    // The schema says what a value must look like; what it must mean, setup checks.
    if (!greeting.includes('{name}')) throw new Error(`the greeting "${greeting}" has no {name}, so nobody would know whom it welcomes`)

    // ctx.whatsapp is the number that saw the event: the greeting comes from it, whichever session it is.
    plugin.on('group', async (event: GroupEvent, ctx) => {
      if (!enabled || event.type !== 'participants' || event.change !== 'joined') return
      const mentions = event.participants.map((p) => p.jid)
      const name = mentions.map((jid) => `@${jid.split('@')[0]}`).join(' ')
      // Counted first: whoever reads the greeting and asks !welcomes finds them counted.
      await plugin.store.update<number>(countKey(event.group), (n) => (n ?? 0) + mentions.length)
      const { subject } = await ctx.whatsapp.groups.info(event.group)
      await ctx.whatsapp.sendText(event.group, fillGreeting(greeting, { name, group: subject }), { mentions })
    })

    plugin.action(
      defineAction<{ group: string }, { group: string; welcomed: number }>({
        name: 'welcomes',
        summary: 'Tell how many people were welcomed in this group',
        access: 'admins',
        where: 'group',
        needsWhatsApp: false,
        input: {
          type: 'object',
          additionalProperties: false,
          required: ['group'],
          properties: { group: { type: 'string', title: 'Group' } },
        },
        chat: { command: 'welcomes', fromChat: (caller) => (caller.chat ? { group: caller.chat } : {}) },
        successMessage: 'Welcome count retrieved',
        failureMessage: 'Failed to count the welcomes',
        handler: ({ group }) => ({ group, welcomed: plugin.store.get<number>(countKey(group)) ?? 0 }),
        reply: ({ welcomed }) =>
          welcomed === 0 ? 'No one has been welcomed in this group yet' : `Welcomed ${welcomed} ${welcomed === 1 ? 'person' : 'people'} in this group`,
      }),
    )
  },
})
