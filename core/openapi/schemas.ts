import type { JsonSchema } from '../validation.js'

/** The words the runtime's own input formats are explained with in error messages, for the reference. */
const FORMAT_WORDS: Record<string, string> = {
  'wa-user': 'A phone number in international format (like +62 812 3456 7890) or a WhatsApp id (like 6281234567890@s.whatsapp.net)',
  'wa-group': 'A group id, like 120363123456789012@g.us (the part before @ is enough)',
}

/**
 * An action's JSON Schema, as OpenAPI 3.1 (JSON Schema 2020-12) states it:
 * waplug's own `notBlank` keyword becomes a pattern any validator knows, and
 * its formats are explained in words, since other tools do not know them.
 */
export function toOpenApiSchema(schema: JsonSchema): JsonSchema {
  return convert(structuredClone(schema))
}

/** Keywords whose value is a map of names to schemas: the names are not keywords. */
const SCHEMA_MAPS = new Set(['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas'])
/** Keywords whose value is data, not schema. */
const DATA = new Set(['enum', 'const', 'default', 'examples', 'example'])

function convert(node: unknown): JsonSchema {
  if (Array.isArray(node)) return node.map(convert) as unknown as JsonSchema
  if (node === null || typeof node !== 'object') return node as JsonSchema
  const schema = node as JsonSchema
  const out: JsonSchema = {}
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'notBlank') {
      if (value === true && !('pattern' in schema)) out.pattern = '\\S'
    } else if (SCHEMA_MAPS.has(key) && value !== null && typeof value === 'object') {
      out[key] = Object.fromEntries(Object.entries(value).map(([name, sub]) => [name, convert(sub)]))
    } else {
      out[key] = DATA.has(key) || value === null || typeof value !== 'object' ? value : convert(value)
    }
  }
  const format = typeof out.format === 'string' ? FORMAT_WORDS[out.format] : undefined
  if (format && out.description === undefined) out.description = format
  return out
}

/** The failure envelope every error answers with. */
export const FAILURE_SCHEMA: JsonSchema = {
  type: 'object',
  description: '`error` says what went wrong and what to do about it; `message` is the short phrase for the status.',
  required: ['status', 'code', 'message', 'error'],
  properties: {
    status: { const: false },
    code: { type: 'integer', description: 'The HTTP status, repeated.' },
    message: { type: 'string', examples: ['Not found'] },
    error: { type: 'string', examples: ['Group not found'] },
  },
}

/** A success envelope around `data`, for one status. */
export function successSchema(status: number, data: JsonSchema | undefined): JsonSchema {
  return {
    type: 'object',
    required: ['status', 'code', 'message', 'data'],
    properties: {
      status: { const: true },
      code: { const: status },
      message: { type: 'string', description: 'What happened, in words.' },
      data: data ? toOpenApiSchema(data) : { description: 'Any JSON value.' },
    },
  }
}

/** A failure envelope for one status. */
export const failureSchema = (status: number): JsonSchema => ({
  type: 'object',
  allOf: [{ $ref: '#/components/schemas/Failure' }],
  properties: { code: { const: status } },
})
