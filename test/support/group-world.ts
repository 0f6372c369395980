import { installSignal, type SignalLayer } from '../../emulator/signal/index.js'
import type { ConfigInput } from '../../core/config.js'
import type { PluginDefinition } from '../../core/index.js'
import { pair, startEmulatedRuntime, type EmulatedRuntime } from './emulated-runtime.js'

/** The people of the groups tests: the bot's owner, three friends, one whose privacy refuses adds, and a number not on WhatsApp. */
export const OWNER = '15550001111'
export const ALICE = '15550002222'
export const BOB = '15550003333'
export const CAROL = '15550004444'
export const PRIVATE = '15550005555'
export const NOBODY = '15550009999'

export const jidOf = (phone: string): string => `${phone}@s.whatsapp.net`

export interface GroupWorld extends EmulatedRuntime {
  signal: SignalLayer
  /** The `w:g2` IQs the bot sent, by their first child's tag, since the last `iqs.length = 0`. */
  iqs: string[]
  /** A contact writes `text` (in `group`, if given) and the bot's reply quoting it comes back as text. */
  say(from: string, text: string, options?: { group?: string; mentions?: string[] }): Promise<string>
  /** A group the bot created (so it is its superadmin) through `POST /groups`. */
  botGroup(name: string, members: string[]): Promise<string>
  /** A group a contact created with the bot in it, as admin or not. */
  theirGroup(creator: string, name: string, members: string[], options?: { botIsAdmin?: boolean }): Promise<string>
}

/** The real runtime and Baileys client on the emulator, paired, with Signal contacts who can talk to it. */
export async function startGroupWorld(options: { config?: ConfigInput; plugins?: PluginDefinition[] } = {}): Promise<GroupWorld> {
  const base = await startEmulatedRuntime({ config: { owners: [OWNER], ...options.config }, ...(options.plugins ? { plugins: options.plugins } : {}) })
  const signal = installSignal(base.emulator.host, { timeoutMs: 10_000 })
  for (const [phone, name] of [
    [OWNER, 'Owner'],
    [ALICE, 'Alice'],
    [BOB, 'Bob'],
    [CAROL, 'Carol'],
  ] as const) {
    base.emulator.addContact({ phone, name })
  }
  base.emulator.addContact({ phone: PRIVATE, name: 'Private', onGroupAdd: 'privacy' })
  const iqs: string[] = []
  const groupsHandler = base.emulator.host.router.findIq({ tag: 'iq', attrs: { xmlns: 'w:g2' } })
  if (!groupsHandler) throw new Error('the emulator has no w:g2 handler')
  base.emulator.host.router.iq({ xmlns: 'w:g2' }, (iq, session) => {
    const first = Array.isArray(iq.content) ? (iq.content[0]) : undefined
    iqs.push(first?.tag ?? '')
    return groupsHandler(iq, session)
  })
  await pair(base)
  const close = base.close.bind(base)

  const world: GroupWorld = Object.assign(base, {
    signal,
    iqs,
    async say(from: string, text: string, sayOptions: { group?: string; mentions?: string[] } = {}) {
      const { id } = await signal.contact(from).say(text, sayOptions)
      const [reply] = await signal.repliesTo(id, { count: 1, timeoutMs: 15_000 })
      return reply?.text ?? ''
    },
    async botGroup(name: string, members: string[]) {
      const { status, envelope } = await base.request('POST', '/groups', { name, participants: members })
      if (status !== 200 || !envelope.status) throw new Error(`could not create ${name}: ${JSON.stringify(envelope)}`)
      const jid = (envelope.data as { jid: string }).jid
      return jid
    },
    async theirGroup(creator: string, name: string, members: string[], groupOptions: { botIsAdmin?: boolean } = {}) {
      const group = base.emulator.createGroupAs(creator, name, members, { botIsAdmin: groupOptions.botIsAdmin ?? false })
      // The bot learns of it from WhatsApp's notification, as it would in life.
      const deadline = Date.now() + 5000
      while (!(await base.runtime.whatsapp.groups.list()).some((g) => g.jid === group.jid)) {
        if (Date.now() > deadline) throw new Error(`the bot did not learn of ${name}`)
        await new Promise((resolve) => setTimeout(resolve, 20))
      }
      return group.jid
    },
    async close() {
      signal.close()
      await close()
    },
  })
  return world
}
