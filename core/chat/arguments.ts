import type { ChatBinding } from '../actions/action.js'
import { WaplugError } from '../errors.js'
import { isGroupWord } from '../whatsapp/jids.js'
import type { JsonSchema } from '../validation.js'
import { whollyQuoted, type Token } from './tokenizer.js'

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

/** `--send-invite` sets the boolean property `send_invite`; undefined when the word is no option. */
function takeFlag(word: string, schema: JsonSchema, input: Record<string, unknown>): string | undefined {
  const name = word.slice(2).replace(/-/g, '_')
  if (propertySchema(schema, name)?.type !== 'boolean') {
    const known = Object.entries((schema.properties ?? {}) as Record<string, JsonSchema>)
      .filter(([, property]) => property.type === 'boolean')
      .map(([option]) => `--${option.replace(/_/g, '-')}`)
    return `Unknown option '${word}'; ${known.length ? `the options are ${known.join(', ')}` : 'this command takes none'}`
  }
  input[name] = true
  return undefined
}

const isFlag = (word: string): boolean => word.startsWith('--')

/** A command's words: the line after the command's name as typed, and its words with their places in it. */
export interface CommandWords {
  line: string
  tokens: Token[]
}

/**
 * Lays the words of a command onto the action's input properties, as its chat binding says.
 * A last `...name` whose property is a string is free text: it takes the rest of the line
 * exactly as typed, quotes and spaces included (one quoted stretch alone loses its quotes).
 */
export function mapWords({ line, tokens }: CommandWords, binding: ChatBinding<unknown>, schema: JsonSchema, mentions: string[], command = 'This command'): MappedWords {
  const input: Record<string, unknown> = {}
  if (binding.parse) {
    const words: string[] = []
    for (const { text } of tokens) {
      const word = resolveMention(text, mentions)
      if (!isFlag(word)) words.push(word)
      else {
        const error = takeFlag(word, schema, input)
        if (error) return { ok: false, error }
      }
    }
    try {
      return { ok: true, input: { ...input, ...binding.parse(words) } }
    } catch (error) {
      if (error instanceof WaplugError) return { ok: false, error: error.reason }
      throw error
    }
  }
  const args = binding.args ?? []
  let argIndex = 0
  const rest: string[] = []
  const extra: string[] = []
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] as Token
    const word = resolveMention(token.text, mentions)
    if (isFlag(word)) {
      const error = takeFlag(word, schema, input)
      if (error) return { ok: false, error }
      continue
    }
    let arg = args[argIndex]
    // In a group the group is implied, so a group argument is taken only when the word is one.
    while (arg !== undefined && !arg.startsWith('...') && propertySchema(schema, arg)?.format === 'wa-group' && binding.fromChat && !isGroupWord(word)) arg = args[++argIndex]
    if (arg === undefined) {
      extra.push(token.text)
      continue
    }
    if (!arg.startsWith('...')) {
      input[arg] = word
      argIndex++
      continue
    }
    const name = arg.slice(3)
    if (propertySchema(schema, name)?.type === 'array') {
      rest.push(word)
      continue
    }
    input[name] = i === tokens.length - 1 && whollyQuoted(line, token) ? token.text : line.slice(token.start)
    break
  }
  const last = args.at(-1)
  if (last?.startsWith('...') && rest.length) {
    const items = propertySchema(schema, last.slice(3))?.items as JsonSchema | undefined
    input[last.slice(3)] = items?.format === 'wa-user' ? joinPhoneFragments(rest) : rest
  }
  if (extra.length) {
    if (args.length === 0) return { ok: false, error: `${command} takes no words after it; send it alone` }
    // Quotes help only where a word is a free name, as a command's name after !help.
    const named = args.some((arg) => {
      const property = propertySchema(schema, arg)
      return !arg.startsWith('...') && property?.type === 'string' && property.format === undefined && property.pattern === undefined
    })
    return { ok: false, error: `Too many words: '${extra.join(' ')}' is more than ${command} takes${named ? '; put quotes around a name with spaces' : ''}` }
  }
  return { ok: true, input }
}
