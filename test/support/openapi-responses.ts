// Checks real answers against the API description's response schemas, with
// ajv (JSON Schema 2020-12, the dialect of OpenAPI 3.1). Objects are checked
// closed: a field the description does not name fails, so an answer cannot
// grow past its description unnoticed.
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js'
import type { OpenApiDocument } from '../../core/openapi/index.js'
import type { JsonSchema } from '../../core/validation.js'

export interface Answer {
  status: number
  contentType: string
  /** Parsed JSON for JSON answers; the text otherwise (the first chunk, for a stream). */
  body: unknown
}

export interface Checked {
  ok: boolean
  problem?: string
}

/** Validates answers against the description: the status is documented, and the body matches that status's schema. */
export function responseChecker(document: OpenApiDocument): (operationId: string, answer: Answer) => Checked {
  const ajv = new Ajv2020({
    strict: true,
    allErrors: true,
    formats: {
      'wa-user': true,
      'wa-group': true,
      'date-time': (text: string) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/.test(text) && !Number.isNaN(Date.parse(text)),
    },
  })
  const components = (document.components as { schemas: Record<string, JsonSchema> }).schemas
  const operations = new Map(Object.values(document.paths).flatMap((methods) => Object.values(methods).map((operation) => [operation.operationId, operation] as const)))
  const compiled = new Map<string, ValidateFunction>()
  return (operationId, answer) => {
    const operation = operations.get(operationId)
    if (!operation) return { ok: false, problem: `${operationId} is not in the description` }
    const response = operation.responses[String(answer.status)]
    if (!response) return { ok: false, problem: `${operationId} answered ${answer.status}, which its description does not list (${Object.keys(operation.responses).join(', ')})` }
    const media = Object.entries(response.content ?? {}).find(([type]) => type === '*/*' || answer.contentType.split(';')[0]?.trim() === type)
    if (!media) return { ok: false, problem: `${operationId} ${answer.status} answered ${answer.contentType}; described: ${Object.keys(response.content ?? {}).join(', ')}` }
    const key = `${operationId} ${answer.status} ${media[0]}`
    let validate = compiled.get(key)
    if (!validate) {
      try {
        validate = ajv.compile(closed(resolveRefs(media[1].schema, components)))
      } catch (error) {
        return { ok: false, problem: `${key}: its schema does not compile: ${(error as Error).message}` }
      }
      compiled.set(key, validate)
    }
    if (validate(answer.body)) return { ok: true }
    return { ok: false, problem: `${key}: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(answer.body).slice(0, 600)}` }
  }
}

/** `{ $ref: '#/components/schemas/X' }` replaced by X: the schemas are checked on their own, outside the document. */
function resolveRefs(schema: unknown, components: Record<string, JsonSchema>): JsonSchema {
  if (Array.isArray(schema)) return schema.map((item) => resolveRefs(item, components)) as unknown as JsonSchema
  if (schema === null || typeof schema !== 'object') return schema as JsonSchema
  const ref = (schema as JsonSchema).$ref
  if (typeof ref === 'string') {
    const target = components[ref.replace('#/components/schemas/', '')]
    if (!target) throw new Error(`the description refers to ${ref}, which it does not hold`)
    return resolveRefs(target, components)
  }
  return Object.fromEntries(Object.entries(schema).map(([key, value]) => [key, resolveRefs(value, components)]))
}

/** Every object schema with named properties and no word on others takes no others. */
function closed(schema: unknown): JsonSchema {
  if (Array.isArray(schema)) return schema.map(closed) as unknown as JsonSchema
  if (schema === null || typeof schema !== 'object') return schema as JsonSchema
  const copy = Object.fromEntries(Object.entries(schema).map(([key, value]) => [key, ['const', 'enum', 'examples', 'default'].includes(key) ? value : closed(value)]))
  // Beside allOf, the properties listed are only some of those the parts name: closing them would refuse the rest.
  if (copy.type === 'object' && copy.properties && copy.additionalProperties === undefined && !copy.allOf) copy.additionalProperties = false
  return copy
}
