import type { Emulator } from '../index.js'
import type { SignalLayer } from '../signal/index.js'
import { SEED_CONTACTS } from './contacts.js'

export interface PromptState {
  /** Phone of the contact typing. */
  as: string
  /** Group jid being written in, or undefined for the private chat with the bot. */
  group: string | undefined
}

export interface PromptDeps {
  emulator: Emulator
  signal: SignalLayer
  prefixes: string[]
  print: (line: string) => void
}

const HELP = `Type a message to send it to the bot as the current contact, e.g. !creategroup "Team" 15550002222
  :as <name|phone>     write as another contact (:contacts lists them)
  :in <group|number>   write in a group (:groups lists them); :private for the private chat
  :contacts  :groups  :help  :quit`

export const SANDBOX_HELP = HELP

function nameOf(phone: string): string {
  return SEED_CONTACTS.find((c) => c.phone === phone)?.name ?? phone
}

/** Where the next line goes, as the prompt shows it. */
export function promptText(state: PromptState, emulator: Emulator): string {
  const where = state.group ? (emulator.group(state.group)?.subject ?? state.group) : 'private'
  return `${nameOf(state.as)} @ ${where} › `
}

/** One line typed at the sandbox: a `:command`, or a message from the current contact. Returns false to quit. */
export async function handleLine(line: string, state: PromptState, deps: PromptDeps): Promise<boolean> {
  const text = line.trim()
  if (!text) return true
  if (text.startsWith(':')) return runCommand(text.slice(1), state, deps)
  const contact = deps.signal.contact(state.as)
  const { id } = await contact.say(text, state.group ? { group: state.group } : {})
  // Commands get an answer; other messages may not, so do not wait long for one.
  const isCommand = deps.prefixes.some((p) => text.startsWith(p))
  try {
    const replies = await deps.signal.repliesTo(id, { count: 1, timeoutMs: isCommand ? 10_000 : 1000 })
    for (const reply of replies) deps.print(`bot › ${reply.text.replace(/\n/g, '\n      ')}`)
  } catch {
    if (isCommand) deps.print('(no reply from the bot)')
  }
  return true
}

function runCommand(command: string, state: PromptState, deps: PromptDeps): boolean {
  const [name = '', ...rest] = command.split(/\s+/)
  const arg = rest.join(' ')
  const { emulator, print } = deps
  switch (name) {
    case 'quit':
    case 'q':
      return false
    case 'help':
      print(HELP)
      return true
    case 'contacts':
      for (const c of SEED_CONTACTS) print(`  ${c.name.padEnd(6)} ${c.phone}${c.onGroupAdd === 'privacy' ? '  (only contacts may add them to groups)' : ''}`)
      return true
    case 'groups': {
      const groups = emulator.groups()
      if (!groups.length) print('  no groups yet')
      for (const g of groups) print(`  ${g.subject.padEnd(20)} ${g.jid}  ${g.participants.length} members`)
      return true
    }
    case 'as': {
      const wanted = arg.toLowerCase()
      const contact = SEED_CONTACTS.find((c) => c.name.toLowerCase() === wanted || c.phone === arg.replace(/\D/g, ''))
      if (!contact) print(`No contact '${arg}'; :contacts lists them`)
      else state.as = contact.phone
      return true
    }
    case 'in': {
      const wanted = arg.toLowerCase()
      const group = emulator.groups().find((g) => g.jid === arg || g.jid === `${arg}@g.us` || g.subject.toLowerCase() === wanted)
      if (!group) print(`No group '${arg}'; :groups lists them`)
      else state.group = group.jid
      return true
    }
    case 'private':
      state.group = undefined
      return true
    default:
      print(`Unknown sandbox command ':${name}'; :help lists them`)
      return true
  }
}
