import type { Emulator } from '../index.js'
import type { SignalLayer } from '../signal/index.js'
import { readFile } from 'node:fs/promises'
import { extname } from 'node:path'
import { SEED_CONTACTS } from './contacts.js'
import { showMessage } from './show-message.js'

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
  /** The bot's phone, to say so when it is not in the group written in. */
  botPhone?: string
  /** How long to wait for the answer to a command; default 10 s. */
  replyTimeoutMs?: number
}

const HELP = `Type a message to send it to the bot as the current contact, e.g. !creategroup "Team" 15550002222
  :as <name|phone>     write as another contact (:contacts lists them)
  :in <group|number>   write in a group (:groups lists them); :private for the private chat
  :send-image <file> [caption]   send an image as the current contact
  :contacts  :groups  :help  :quit
Media the bot sends is shown with its kind, type and size, and saved to a temporary file.`

export const SANDBOX_HELP = HELP

function nameOf(phone: string): string {
  return SEED_CONTACTS.find((c) => c.phone === phone)?.name ?? phone
}

/** "Bob is not", "You are not". */
const isNot = (name: string): string => `${name} ${name === 'You' ? 'are' : 'is'} not`

/** WhatsApp delivers nothing a non-member writes in a group, so the sandbox does not send it. */
function isMember(emulator: Emulator, group: string, phone: string): boolean {
  return emulator.group(group)?.participants.some((p) => p.phone === phone) ?? false
}

function membersOf(emulator: Emulator, group: string): string {
  const names = (emulator.group(group)?.participants ?? []).map((p) => nameOf(p.phone)).filter((name) => SEED_CONTACTS.some((c) => c.name === name))
  return names.length ? names.join(', ') : 'none of the contacts'
}

function subjectOf(emulator: Emulator, group: string): string {
  return emulator.group(group)?.subject ?? group
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
  const { emulator, print } = deps
  if (state.group && !isMember(emulator, state.group, state.as)) {
    print(`(not sent: ${isNot(nameOf(state.as))} in "${subjectOf(emulator, state.group)}", and WhatsApp delivers nothing from a non-member; :as one of its members (${membersOf(emulator, state.group)}) or :private)`)
    return true
  }
  const contact = deps.signal.contact(state.as)
  const { id } = await contact.say(text, state.group ? { group: state.group } : {})
  // Commands get an answer; other messages may not, so do not wait long for one.
  const isCommand = deps.prefixes.some((p) => text.startsWith(p))
  const timeoutMs = isCommand ? (deps.replyTimeoutMs ?? 10_000) : 1000
  try {
    const replies = await deps.signal.repliesTo(id, { count: 1, timeoutMs })
    for (const reply of replies) print(`bot › ${showMessage(reply)}`)
  } catch {
    if (isCommand) print(`(no reply from the bot within ${timeoutMs / 1000} s: ${whyNoReply(state, deps)})`)
  }
  return true
}

function whyNoReply(state: PromptState, deps: PromptDeps): string {
  if (state.group && deps.botPhone && !isMember(deps.emulator, state.group, deps.botPhone)) return `the bot is not in "${subjectOf(deps.emulator, state.group)}"`
  return 'it did not answer; start the sandbox with --logs (or LOG_LEVEL=info) to see what it did with the message'
}

const IMAGE_TYPES: Record<string, string> = { '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.gif': 'image/gif', '.webp': 'image/webp' }

/** `:send-image <file> [caption]`: encrypted, uploaded to the media host and sent as the current contact. */
async function sendImage(arg: string, state: PromptState, deps: PromptDeps): Promise<void> {
  const [file = '', ...caption] = arg.split(/\s+/)
  if (!file) {
    deps.print('Usage: :send-image <file> [caption]')
    return
  }
  const bytes = await readFile(file).catch((error: unknown) => {
    throw new Error(`cannot read ${file}: ${(error as Error).message}`)
  })
  const mimetype = IMAGE_TYPES[extname(file).toLowerCase()] ?? 'image/jpeg'
  const { id } = await deps.signal
    .contact(state.as)
    .sendImage(bytes, { mimetype, ...(caption.length ? { caption: caption.join(' ') } : {}), ...(state.group ? { group: state.group } : {}) })
  deps.print(`(sent ${file}, ${bytes.length} bytes, as ${mimetype}; message ${id})`)
  const replies = await deps.signal.repliesTo(id, { count: 1, timeoutMs: 2000 }).catch(() => [])
  for (const reply of replies) deps.print(`bot › ${showMessage(reply)}`)
}

async function runCommand(command: string, state: PromptState, deps: PromptDeps): Promise<boolean> {
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
      if (!contact) {
        print(`No contact '${arg}'; :contacts lists them`)
        return true
      }
      state.as = contact.phone
      if (state.group && !isMember(emulator, state.group, contact.phone)) {
        print(`(${contact.name} is not in "${subjectOf(emulator, state.group)}"; back to the private chat)`)
        state.group = undefined
      }
      return true
    }
    case 'in': {
      const wanted = arg.toLowerCase()
      const group = emulator.groups().find((g) => g.jid === arg || g.jid === `${arg}@g.us` || g.subject.toLowerCase() === wanted)
      if (!group) print(`No group '${arg}'; :groups lists them`)
      else if (!isMember(emulator, group.jid, state.as)) {
        print(`${isNot(nameOf(state.as))} in "${group.subject}", so cannot write in it; :as one of its members (${membersOf(emulator, group.jid)}) first, or add ${nameOf(state.as)} to it`)
      } else state.group = group.jid
      return true
    }
    case 'send-image':
      await sendImage(arg, state, deps)
      return true
    case 'private':
      state.group = undefined
      return true
    default:
      print(`Unknown sandbox command ':${name}'; :help lists them`)
      return true
  }
}
