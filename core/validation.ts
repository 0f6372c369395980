import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv'
import { toGroupJid, toUserJid } from './whatsapp/jids.js'

export type JsonSchema = Record<string, unknown>

/**
 * Formats are described in words so that a failed check reads as a sentence:
 * "participants[1] is not a phone number or WhatsApp id: 'abc'".
 */
const FORMATS: Record<string, { test: (value: string) => boolean; description: string }> = {
  'wa-user': { test: (v) => toUserJid(v) !== undefined, description: 'a phone number or WhatsApp id' },
  'wa-group': { test: (v) => toGroupJid(v) !== undefined, description: 'a group id (like 120363123456789012@g.us)' },
  'ws-url': { test: (v) => /^wss?:\/\//.test(v) && URL.canParse(v), description: 'a ws:// or wss:// URL' },
  'byte-size': { test: (v) => parseByteSize(v) !== undefined, description: "a size such as '512kb' or '1mb'" },
}

export function parseByteSize(text: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)\s*(b|kb|mb)?$/i.exec(text.trim())
  if (!match?.[1]) return undefined
  const unit = (match[2] ?? 'b').toLowerCase()
  const factor = unit === 'mb' ? 1024 * 1024 : unit === 'kb' ? 1024 : 1
  return Math.floor(Number(match[1]) * factor)
}

function createAjv(coerce: boolean): Ajv {
  const ajv = new Ajv({
    allErrors: false,
    useDefaults: true,
    coerceTypes: coerce ? 'array' : false,
    strict: true,
    // Every action's schema is compiled at start-up: without the optimizer that takes about
    // half the time, and on schemas this small it would only remove a few redundant checks.
    code: { optimize: false },
    // Schemas may label properties for people (`title`) and carry docs (`examples`).
    keywords: ['notBlank'],
  })
  for (const [name, format] of Object.entries(FORMATS)) ajv.addFormat(name, { type: 'string', validate: format.test })
  ajv.removeKeyword('notBlank')
  ajv.addKeyword({
    keyword: 'notBlank',
    type: 'string',
    schemaType: 'boolean',
    validate: (wanted: boolean, value: string) => !wanted || value.trim() !== '',
    errors: false,
  })
  return ajv
}

/** Strict validation for JSON bodies; coercing validation for chat words and query strings. */
const strictAjv = createAjv(false)
const coercingAjv = createAjv(true)

/**
 * Who reads a failed check: `api` (the default) is told the field's path, as
 * in `participants[1]`; `chat`, a person who typed words, is told in words.
 */
export type Audience = 'api' | 'chat'

export interface Validator<T> {
  (value: unknown, audience?: Audience): { ok: true; value: T } | { ok: false; error: string }
}

export function compileValidator<T>(schema: JsonSchema, options: { coerce?: boolean } = {}): Validator<T> {
  const validate = (options.coerce ? coercingAjv : strictAjv).compile(schema)
  return (value: unknown, audience: Audience = 'api') => {
    if (validate(value)) return { ok: true, value: value as T }
    return { ok: false, error: describeError(validate, schema, value, audience) }
  }
}

/**
 * Compiles on first use: for a second view of a schema that has already compiled
 * once (so its mistakes were reported at start-up), whose use may never come.
 */
export function lazyValidator<T>(compile: () => Validator<T>): Validator<T> {
  let validator: Validator<T> | undefined
  return (value, audience) => (validator ??= compile())(value, audience)
}

function describeError(validate: ValidateFunction, schema: JsonSchema, value: unknown, audience: Audience): string {
  const error = validate.errors?.[0]
  if (!error) return 'The input is not valid'
  return (audience === 'chat' ? inWords(error, schema, value) : undefined) ?? sentenceFor(error, schema, value)
}

/** Letters and no digit: a contact's name typed where a number goes. */
const looksLikeName = (value: unknown): boolean => typeof value === 'string' && /\p{L}/u.test(value) && !/\d/.test(value)

/**
 * A failed check told to a person in chat: what is missing or wrong in the
 * words they typed, never a field's path. Undefined where the usual sentence
 * already reads well.
 */
function inWords(error: ErrorObject, schema: JsonSchema, root: unknown): string | undefined {
  const params = error.params as Record<string, unknown>
  const missing = error.keyword === 'required' ? `${error.instancePath}/${String(params.missingProperty)}` : error.keyword === 'minItems' ? error.instancePath : undefined
  if (missing !== undefined) {
    const property = schemaAt(schema, missing)
    if ((property?.items as JsonSchema | undefined)?.format === 'wa-user') return 'Name at least one person: a phone number (like +62 812 3456 7890) or an @mention'
    if (property?.format === 'wa-group') return "Say which group: send the command in that group, or put the group's id first"
    return undefined
  }
  if (error.keyword === 'format') {
    const value = valueAt(root, error.instancePath)
    if (params.format === 'wa-user' && looksLikeName(value)) {
      return `${show(value)} looks like a name: write people as phone numbers (like +62 812 3456 7890) or @mention them`
    }
    const format = FORMATS[String(params.format)]
    return `${show(value)} is not ${format?.description ?? `a valid ${String(params.format)}`}`
  }
  return undefined
}

/** `/participants/1` → `participants[1]`. */
function pathOf(instancePath: string): string {
  return instancePath
    .split('/')
    .slice(1)
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((path, part) => (/^\d+$/.test(part) ? `${path}[${part}]` : path ? `${path}.${part}` : part), '')
}

function schemaAt(schema: JsonSchema, instancePath: string): JsonSchema | undefined {
  let node: JsonSchema | undefined = schema
  for (const part of instancePath.split('/').slice(1)) {
    if (!node) return undefined
    const properties = node.properties as Record<string, JsonSchema> | undefined
    node = /^\d+$/.test(part) && node.items ? (node.items as JsonSchema) : properties?.[part]
  }
  return node
}

function labelFor(schema: JsonSchema, instancePath: string): string {
  const title = schemaAt(schema, instancePath)?.title
  return typeof title === 'string' ? title : pathOf(instancePath) || 'The input'
}

function show(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value)
  return `'${text.length > 60 ? `${text.slice(0, 57)}...` : text}'`
}

function valueAt(root: unknown, instancePath: string): unknown {
  let node = root
  for (const part of instancePath.split('/').slice(1)) {
    if (node === null || typeof node !== 'object') return undefined
    node = (node as Record<string, unknown>)[part]
  }
  return node
}

const article = (word: string) => (/^[aeiou]/.test(word) ? `an ${word}` : `a ${word}`)

function sentenceFor(error: ErrorObject, schema: JsonSchema, root: unknown): string {
  const label = labelFor(schema, error.instancePath)
  const params = error.params as Record<string, unknown>
  switch (error.keyword) {
    case 'required': {
      const property = String(params.missingProperty)
      const path = error.instancePath ? `${error.instancePath}/${property}` : `/${property}`
      return `${labelFor(schema, path)} is required`
    }
    case 'notBlank':
      return `${label} is required`
    case 'type':
      if (!error.instancePath) return 'The input must be a JSON object'
      return `${label} must be ${article(String(params.type).replace(',', ' or '))}`
    case 'format': {
      const format = FORMATS[String(params.format)]
      return `${pathOf(error.instancePath)} is not ${format?.description ?? `a valid ${String(params.format)}`}: ${show(valueAt(root, error.instancePath))}`
    }
    case 'maxLength':
      return `${label} must be at most ${String(params.limit)} characters`
    case 'minLength':
      return Number(params.limit) === 1 ? `${label} is required` : `${label} must be at least ${String(params.limit)} characters`
    case 'maxItems':
      return `${label} may list at most ${String(params.limit)} entries`
    case 'minItems':
      return `${label} must list at least ${String(params.limit)} ${Number(params.limit) === 1 ? 'entry' : 'entries'}`
    case 'additionalProperties': {
      const known = Object.keys((schemaAt(schema, error.instancePath)?.properties as object | undefined) ?? {})
      const field = [pathOf(error.instancePath), String(params.additionalProperty)].filter(Boolean).join('.')
      return `Unknown field '${field}'${known.length ? `; the fields are: ${known.join(', ')}` : ''}`
    }
    case 'enum':
      return `${label} must be one of: ${(params.allowedValues as unknown[]).map((v) => String(v)).join(', ')}`
    case 'minimum':
    case 'maximum':
      return `${label} must be ${error.keyword === 'minimum' ? 'at least' : 'at most'} ${String(params.limit)}`
    case 'pattern': {
      const description = schemaAt(schema, error.instancePath)?.description
      return `${label} is not valid${typeof description === 'string' ? `: expected ${description}` : ''}: ${show(valueAt(root, error.instancePath))}`
    }
    default:
      return `${label} ${error.message ?? 'is not valid'}`
  }
}
