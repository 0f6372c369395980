// A group as tests drive it: people acting in it the way they would from
// their phones, each change awaited until the bot's runtime has heard of it.
import { children, IqError, type BinaryNode, type Emulator } from '../../emulator/index.js'
import type { GroupEvent, WhatsApp } from '../whatsapp/types.js'
import type { ActAs, TestContact, TestGroup } from './api.js'

/** What a per-person error code means for this change. */
function reason(action: string, code: string | undefined): string {
  if (code === '404') return action === 'add' ? 'not on WhatsApp' : 'not a member'
  if (code === '403') return action === 'add' ? 'their privacy settings refuse it' : 'not allowed'
  if (code === '409') return 'already a member'
  return ''
}

const CHANGES = { add: 'joined', remove: 'left', promote: 'promoted', demote: 'demoted' } as const
const VERBS = { add: 'adding', remove: 'removing', promote: 'promoting', demote: 'demoting' } as const

/** WhatsApp's notification reaching the runtime is not the plugin's doing, so the reply timeout does not apply. */
const HEARD_TIMEOUT_MS = 10_000

export interface GroupWorld {
  emulator: Emulator
  whatsapp: WhatsApp
}

export function groupHandle(world: GroupWorld, jid: string, subject: string, createdBy: TestContact): TestGroup {
  const { emulator } = world
  const list = (people: TestContact | TestContact[]) => (Array.isArray(people) ? people : [people])
  const names = (people: TestContact[]) => people.map((p) => p.name).join(', ')

  const participants = async (action: 'add' | 'remove' | 'promote' | 'demote', people: TestContact | TestContact[], by: TestContact) => {
    const who = list(people)
    const change = CHANGES[action]
    const leaving = action === 'remove' && who.length === 1 && who[0] === by
    const doing = leaving ? `${by.name} leaving "${subject}"` : `${by.name} ${VERBS[action]} ${names(who)} in "${subject}"`
    const unheard = new Set(who)
    const heard = (e: GroupEvent) => {
      if (e.type === 'participants' && e.group === jid && e.change === change) for (const p of unheard) if (e.participants.some((x) => is(p, x))) unheard.delete(p)
      return unheard.size === 0
    }
    await afterBotHears(world, doing, heard, () => {
      const reply = asPerson(doing, () => emulator.participantsAs(by.phone, jid, who.map((p) => p.phone), action))
      const refused = children(reply, 'participant').filter((p) => p.attrs.error)
      if (refused.length) {
        const each = refused.map((p) => `${nameOf(who, p)}: ${p.attrs.error} ${reason(action, p.attrs.error)}`.trim())
        throw new Error(`${doing} failed for ${each.join('; ')}`)
      }
    })
  }

  return {
    jid,
    subject,
    createdBy,
    info() {
      const view = emulator.group(jid)
      if (!view) throw new Error(`the group "${subject}" (${jid}) no longer exists on the emulator`)
      return view
    },
    add: (people, options: ActAs = {}) => participants('add', people, options.by ?? createdBy),
    remove: (people, options: ActAs = {}) => participants('remove', people, options.by ?? createdBy),
    leave: (person) => participants('remove', person, person),
    promote: (people, options: ActAs = {}) => participants('promote', people, options.by ?? createdBy),
    demote: (people, options: ActAs = {}) => participants('demote', people, options.by ?? createdBy),
    async update(change, options: ActAs = {}) {
      const by = options.by ?? createdBy
      // One change at a time, as on a phone: of two updates to a group that arrive together,
      // Baileys' event buffer keeps only the first.
      for (const key of ['subject', 'description'] as const) {
        const value = change[key]
        if (value === undefined) continue
        const doing = `${by.name} changing the ${key} of "${subject}" to ${JSON.stringify(value)}`
        const heard = (e: GroupEvent) => e.type === 'updated' && e.group === jid && e[key] === value
        await afterBotHears(world, doing, heard, () => asPerson(doing, () => emulator.updateGroupAs(by.phone, jid, { [key]: value })))
      }
    },
    async requestToJoin(person) {
      asPerson(`${person.name} asking to join "${subject}"`, () => emulator.requestToJoin(jid, person.phone))
      // The emulator sends its notification on the next turn of the event loop.
      await new Promise((resolve) => setImmediate(resolve))
    },
  }
}

/** Runs `act`, then waits until the runtime's group events tell all of it (`heard` says when). */
async function afterBotHears(world: GroupWorld, doing: string, heard: (e: GroupEvent) => boolean, act: () => void): Promise<void> {
  let off = () => {}
  let timer: NodeJS.Timeout | undefined
  const told = new Promise<void>((resolve, reject) => {
    off = world.whatsapp.onGroupEvent((e) => {
      if (heard(e)) resolve()
    })
    timer = setTimeout(() => reject(new Error(`the bot was not told of ${doing} within ${HEARD_TIMEOUT_MS} ms (is it still in the group?)`)), HEARD_TIMEOUT_MS)
  })
  try {
    act()
    await told
  } finally {
    off()
    clearTimeout(timer)
  }
}

/** The emulator's refusal (an IQ error) as a sentence about the person who tried. */
function asPerson<T>(doing: string, act: () => T): T {
  try {
    return act()
  } catch (error) {
    if (!(error instanceof IqError)) throw error
    const why =
      error.text === 'not-authorized' ? 'only admins may do that' : error.text === 'forbidden' ? 'they are not a member' : error.code === 409 ? 'they are already in it' : `${error.code} ${error.text}`
    throw new Error(`WhatsApp refused ${doing}: ${why}`, { cause: error })
  }
}

function is(contact: TestContact, person: { jid: string; lid?: string }): boolean {
  return person.jid === contact.jid || person.lid === contact.lid || person.jid === contact.lid
}

function nameOf(people: TestContact[], node: BinaryNode): string {
  const jid = node.attrs.phone_number ?? node.attrs.jid ?? ''
  return people.find((p) => p.jid === jid || p.lid === jid)?.name ?? jid
}
