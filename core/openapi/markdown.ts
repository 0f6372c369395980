import type { JsonSchema } from '../validation.js'
import { BY_KIND, type OpenApiDocument, type OpenApiOperation } from './document.js'

type Parameter = { name: string; in: string; required: boolean; description?: string; schema: JsonSchema }

const KIND_WORDS: Record<keyof typeof BY_KIND, string> = {
  auth: 'any route that needs a credential',
  session: 'routes for one session',
  admin: 'routes for admin credentials',
  sessionPath: 'routes under /sessions/{session}',
  body: 'routes that read a JSON body',
  mutating: 'routes that take Idempotency-Key',
  all: 'any route',
}

/** The answers routes share, told once at the top rather than with every route. */
const COMMON: [string, string, string][] = Object.entries(BY_KIND).flatMap(([kind, errors]) =>
  Object.entries(errors).map(([code, reason]): [string, string, string] => [code, reason, KIND_WORDS[kind as keyof typeof BY_KIND]]),
)

const ACCESS = {
  public: 'no credential',
  admin: 'an admin credential (an API key from the configuration, or a JWT without a `sessions` claim)',
  session: "any credential that reaches the session (a session's own key too)",
}

/**
 * The API reference in Markdown, from the OpenAPI description: one section
 * per tag, one entry per route. An action's copy under `/sessions/{session}`
 * is named in its entry rather than repeated.
 */
export function referenceMarkdown(document: OpenApiDocument): string {
  const info = document.info as { version: string; description: string }
  const lines = [
    '# HTTP API reference',
    '',
    '<!-- Generated from the OpenAPI description by `npm run docs:http`; a test fails when it is out of date. Do not edit by hand. -->',
    '',
    'The running server describes itself at `GET /openapi.json` (OpenAPI 3.1) and shows a page to try the routes at `/docs`; see [openapi.md](openapi.md).',
    'This file lists the routes of the runtime and of its built-in plugins.',
    '',
    info.description,
    '',
    '**Credentials**: send `Authorization: <API key>` or `Authorization: Bearer <API key or JWT>`.',
    '',
    '**Errors any route may answer**, besides those listed with it:',
    '',
    '| Error | When |',
    '| --- | --- |',
    ...COMMON.map(([code, reason, kind]) => `| ${code} | ${cell(reason)} (${kind}) |`),
    '',
  ]
  const operations = Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({ path, method: method.toUpperCase(), operation })),
  )
  const copies = new Map(operations.filter(({ operation }) => operation.operationId.endsWith('.inSession')).map((entry) => [entry.operation.operationId, entry]))
  const tags = (document.tags as { name: string }[]).map((tag) => tag.name)
  for (const tag of tags) {
    lines.push(`## ${tag}`, '')
    for (const { path, method, operation } of operations) {
      if ((operation.tags as string[])[0] !== tag) continue
      const copy = copies.get(`${operation.operationId}.inSession`)
      if (operation.operationId.endsWith('.inSession') && operations.some((entry) => `${entry.operation.operationId}.inSession` === operation.operationId)) continue
      lines.push(...entry(method, path, operation, copy?.path))
    }
  }
  return `${lines.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`
}

function entry(method: string, path: string, operation: OpenApiOperation, alsoAt: string | undefined): string[] {
  const lines = [`### ${method} ${path}`, '', String(operation.summary), '']
  if (typeof operation.description === 'string') lines.push(operation.description, '')
  if (alsoAt) lines.push(`Also at \`${method} ${alsoAt}\`, for another session.`, '')
  const access = operation.security ? 'public' : operation['x-waplug-access'] === 'admin' ? 'admin' : 'session'
  lines.push(`Needs: ${ACCESS[access]}.`, '')
  const parameters = ((operation.parameters ?? []) as Parameter[]).filter((p) => p.name !== 'Idempotency-Key')
  if (parameters.length) {
    lines.push('| Parameter | In | Type | Required | Description |', '| --- | --- | --- | --- | --- |')
    for (const p of parameters) lines.push(`| \`${p.name}\` | ${p.in} | ${typeOf(p.schema)} | ${p.required ? 'yes' : 'no'} | ${cell(p.description ?? p.schema.description)} |`)
    lines.push('')
  }
  const body = (operation.requestBody as { content: Record<string, { schema: JsonSchema }> } | undefined)?.content['application/json']?.schema
  if (body) lines.push('Body (JSON):', '', ...fields(body), '')
  if (((operation.parameters ?? []) as Parameter[]).some((p) => p.name === 'Idempotency-Key')) lines.push('Takes `Idempotency-Key`.', '')
  for (const [status, response] of Object.entries(operation.responses)) {
    if (Number(status) >= 400) continue
    const [type, media] = Object.entries(response.content ?? {})[0] ?? []
    const data = type === 'application/json' ? ((media?.schema.properties as Record<string, JsonSchema> | undefined)?.data ?? undefined) : undefined
    if (data && (media?.schema.properties as Record<string, JsonSchema>).status) {
      lines.push(`**${status}**: the envelope's \`data\` is ${typeOf(data)}${typeof data.description === 'string' ? ` (${data.description})` : ''}.`, '')
      const shown = data.type === 'array' ? (data.items as JsonSchema) : data
      if (shown.properties) lines.push(...fields(shown, data.type === 'array' ? '[].' : ''), '')
    } else lines.push(`**${status}**: \`${type ?? ''}\`.`, '')
  }
  const failures = Object.entries(operation.responses).filter(([status]) => Number(status) >= 400)
  if (failures.length) {
    lines.push('| Error | When |', '| --- | --- |')
    for (const [status, response] of failures) {
      const reason = COMMON.reduce((text, [, common]) => text.replace(common, ''), String((response as { description?: string }).description ?? '').replace(/^[^:]*: /, '')).trim()
      if (reason) lines.push(`| ${status} | ${cell(reason.replace(/\s{2,}/g, ' '))} |`)
    }
    lines.push('')
  }
  return lines
}

/** A table of an object's fields, nested fields as `a.b` and `a[].b`. */
function fields(schema: JsonSchema, prefix = ''): string[] {
  const rows = rowsOf(schema, prefix, 0)
  if (!rows.length) return [`${typeOf(schema)}.`]
  return ['| Field | Type | Required | Description |', '| --- | --- | --- | --- |', ...rows]
}

function rowsOf(schema: JsonSchema, prefix: string, depth: number): string[] {
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>
  const required = new Set((schema.required as string[] | undefined) ?? [])
  return Object.entries(properties).flatMap(([name, property]) => {
    const row = `| \`${prefix}${name}\` | ${typeOf(property)} | ${required.has(name) ? 'yes' : 'no'} | ${cell(property.description)} |`
    if (depth >= 2) return [row]
    const items = property.type === 'array' ? (property.items as JsonSchema | undefined) : undefined
    const inner = items?.properties ? rowsOf(items, `${prefix}${name}[].`, depth + 1) : property.properties ? rowsOf(property, `${prefix}${name}.`, depth + 1) : []
    return [row, ...inner]
  })
}

function typeOf(schema: JsonSchema): string {
  if ('const' in schema) return `\`${JSON.stringify(schema.const)}\``
  if (Array.isArray(schema.enum)) return schema.enum.map((value) => `\`${JSON.stringify(value)}\``).join(' \\| ')
  const types = Array.isArray(schema.type) ? (schema.type as string[]) : typeof schema.type === 'string' ? [schema.type] : []
  if (!types.length) return 'any'
  return types
    .map((type) => {
      if (type === 'array') return `array of ${schema.items ? typeOf(schema.items as JsonSchema) : 'any'}`
      const format = typeof schema.format === 'string' ? ` (${schema.format})` : ''
      return `${type}${format}`
    })
    .join(' or ')
}

const cell = (text: unknown): string => (typeof text === 'string' ? text.replace(/\|/g, '\\|').replace(/\n/g, ' ') : '')
