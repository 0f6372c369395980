import type { ChatBinding } from '../actions/action.js'
import { WaplugError } from '../errors.js'
import { isGroupWord } from '../whatsapp/jids.js'
import type { JsonSchema } from '../validation.js'

const PHONE_FRAGMENT = /^[\d().-]+$/

/**
 * People type numbers the way they read them: "+62 812-3456-7890" is one number
 * in two words. A word starting with '+' opens a number and the digit groups
 * after it join it until it is complete (15 digits at most).
 */
export function joinPhoneFragments(words: string[]): string[] {
  const out: string[] = []
  let open = false
  for (const word of words) {
    const last = out.at(-1)
    if (open && last !== undefined && PHONE_FRAGMENT.test(word) && (last + word).replace(/\D/g, '').length <= 15) {
      out[out.length - 1] = `${last}${word}`
      continue
    }
    out.push(word)
    open = /^\+\d/.test(word)
  }
  return out
}

/**
 * "@6281234567890" in a message's text stands for a mentioned jid; in LID groups
 * the digits are the lid's, so the mention list says which jid it is.
 */
export function resolveMention(word: string, mentions: string[]): string {
  if (!/^@\d+$/.test(word)) return word
  const digits = word.slice(1)
  return mentions.find((jid) => jid.startsWith(`${digits}@`)) ?? digits
}

function propertySchema(schema: JsonSchema, name: string): JsonSchema | undefined {
  return (schema.properties as Record<string, JsonSchema> | undefined)?.[name]
}

export type MappedWords = { ok: true; input: Record<string, unknown> } | { ok: false; error: string }

/** `--send-invite` sets the boolean property `send_invite`. */
function takeFlags(words: string[], schema: JsonSchema, input: Record<string, unknown>): string[] | string {
  const rest: string[] = []
  for (const word of words) {
    if (!word.startsWith('--')) {
      rest.push(word)
      continue
    }
    const name = word.slice(2).replace(/-/g, '_')
    if (propertySchema(schema, name)?.type !== 'boolean') return `Unknown option '${word}'`
    input[name] = true
  }
  return rest
}

/** Lays the words of a command onto the action's input properties, as its chat binding says. */
export function mapWords(words: string[], binding: ChatBinding<unknown>, schema: JsonSchema, mentions: string[]): MappedWords {
  const input: Record<string, unknown> = {}
  const flagged = takeFlags(words.map((word) => resolveMention(word, mentions)), schema, input)
  if (typeof flagged === 'string') return { ok: false, error: flagged }
  if (binding.parse) {
    try {
      return { ok: true, input: { ...input, ...binding.parse(flagged) } }
    } catch (error) {
      if (error instanceof WaplugError) return { ok: false, error: error.reason }
      throw error
    }
  }
  const args = binding.args ?? []
  let index = 0
  for (const arg of args) {
    if (arg.startsWith('...')) {
      const name = arg.slice(3)
      const property = propertySchema(schema, name)
      const rest = flagged.slice(index)
      index = flagged.length
      if (property?.type === 'array') {
        const items = property.items as JsonSchema | undefined
        if (rest.length) input[name] = items?.format === 'wa-user' ? joinPhoneFragments(rest) : rest
      } else if (rest.length) {
        input[name] = rest.join(' ')
      }
      continue
    }
    const word = flagged[index]
    if (word === undefined) continue
    // In a group the group is implied, so a group argument is taken only when the word is one.
    if (propertySchema(schema, arg)?.format === 'wa-group' && binding.fromChat && !isGroupWord(word)) continue
    input[arg] = word
    index++
  }
  if (index < flagged.length) {
    const extra = flagged.slice(index).join(' ')
    return { ok: false, error: `Too many words: '${extra}' is not expected here; put quotes around a name with spaces` }
  }
  return { ok: true, input }
}
