import type { ActionErrors } from '../actions/action.js'
import { STATUS_MESSAGES } from '../errors.js'
import type { JsonSchema } from '../validation.js'
import { mergeErrors, type OperationDoc } from './operation.js'
import { FAILURE_SCHEMA, failureSchema, successSchema, toOpenApiSchema } from './schemas.js'

export type OpenApiDocument = Record<string, unknown> & { paths: Record<string, Record<string, OpenApiOperation>> }
export type OpenApiOperation = Record<string, unknown> & { operationId: string; responses: Record<string, { content?: Record<string, { schema: JsonSchema }> }> }

const INTRO = [
  'Every answer is an envelope: `{ "status": true, "code": 200, "message": "...", "data": ... }` on success,',
  '`{ "status": false, "code": 404, "message": "Not found", "error": "what went wrong and what to do" }` on failure;',
  '`code` is always the HTTP status. Every action route also exists under `/sessions/{session}/…` for another number.',
  'Routes that change something take an `Idempotency-Key` header: a retry with the same key gets the first answer again instead of running twice.',
].join('\n')

/** Answers any route of a kind may give, besides its own. */
export const BY_KIND = {
  auth: { 401: 'No credential, or one that is not valid: send `Authorization: <API key>`, `Bearer <API key>` or `Bearer <JWT>`.' },
  session: { 403: 'The credential (a session key, or a JWT with a `sessions` claim) is for another session.' },
  admin: { 403: 'Managing sessions needs an admin credential: an API key from the configuration, or a JWT without a `sessions` claim.' },
  sessionPath: { 404: 'There is no such session; GET /sessions lists them.' },
  body: {
    400: 'The body is not valid JSON.',
    413: 'The body is larger than the configured limit (http.bodyLimit).',
    415: 'The body was not sent as `Content-Type: application/json`.',
  },
  mutating: {
    400: 'The Idempotency-Key header is empty, too long or not printable ASCII.',
    409: 'A request with this Idempotency-Key is still running; retry in a moment (Retry-After) to get its answer.',
    422: 'This Idempotency-Key was already used for another route or another body.',
    504: 'A request with this Idempotency-Key was cut off by a restart, so its outcome is unknown; check before sending it again with a new key.',
  },
  all: { 500: 'Something went wrong on the server; `error` gives the request id to look for in the logs.' },
} satisfies Record<string, ActionErrors>

export interface DocumentOptions {
  version: string
  operations: readonly OperationDoc[]
}

/** The OpenAPI 3.1 description of the HTTP API: the runtime's own routes and every action's. */
export function buildDocument({ version, operations }: DocumentOptions): OpenApiDocument {
  const paths: OpenApiDocument['paths'] = {}
  for (const operation of operations) {
    const path = operation.path.replace(/:(\w+)/g, '{$1}')
    const method = operation.method.toLowerCase()
    paths[path] ??= {}
    if (paths[path][method]) throw new Error(`${operation.method} ${operation.path} is described twice (${paths[path][method].operationId} and ${operation.operationId})`)
    paths[path][method] = operationObject(operation)
  }
  const tags = [...new Set(operations.map((operation) => operation.tag))]
  return {
    openapi: '3.1.0',
    info: { title: 'waplug', version, description: INTRO, license: { name: 'MIT', identifier: 'MIT' } },
    tags: tags.map((name) => ({ name })),
    security: [{ apiKey: [] }, { bearer: [] }],
    paths,
    components: {
      schemas: { Failure: FAILURE_SCHEMA },
      securitySchemes: {
        apiKey: {
          type: 'apiKey',
          in: 'header',
          name: 'Authorization',
          description: 'An API key from the configuration (http.apiKeys, API_KEY) or a session key (POST /sessions/{session}/keys), sent as the whole header.',
        },
        bearer: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: 'An HS256 JWT signed with http.jwtSecret (with an `exp` at most http.jwtMaxLifetimeSeconds ahead; a `sessions` claim limits it to those sessions), or an API key after `Bearer`.',
        },
      },
    },
  }
}

function operationObject(operation: OperationDoc): OpenApiOperation {
  const parameters = [
    ...Object.entries(operation.pathParams ?? {}).map(([name, schema]) => parameter(name, 'path', schema, true)),
    ...Object.entries(operation.query ?? {}).map(([name, schema]) => parameter(name, 'query', schema, operation.requiredQuery?.includes(name) ?? false)),
    ...Object.entries(operation.headers ?? {}).map(([name, schema]) => parameter(name, 'header', schema, false)),
    ...(operation.mutating ? [idempotencyKey] : []),
  ]
  const errors = mergeErrors(
    operation.access === 'public' ? undefined : BY_KIND.auth,
    operation.access === 'admin' ? BY_KIND.admin : undefined,
    operation.access === 'session' ? BY_KIND.session : undefined,
    operation.path.includes(':session') ? BY_KIND.sessionPath : undefined,
    operation.body ? BY_KIND.body : undefined,
    operation.mutating ? BY_KIND.mutating : undefined,
    operation.errors,
    BY_KIND.all,
  )
  const status = operation.status ?? 200
  const responses: OpenApiOperation['responses'] = {
    [status]: {
      description: STATUS_TEXT[status] ?? 'Success',
      content: operation.content
        ? Object.fromEntries(Object.entries(operation.content).map(([type, schema]) => [type, { schema }]))
        : { 'application/json': { schema: successSchema(status, operation.output) } },
    } as never,
  }
  for (const [code, reason] of Object.entries(errors).sort(([a], [b]) => Number(a) - Number(b))) {
    responses[code] = {
      description: `${STATUS_MESSAGES[Number(code) as keyof typeof STATUS_MESSAGES]}: ${reason}`,
      content: { 'application/json': { schema: failureSchema(Number(code)) } },
    } as never
  }
  return {
    operationId: operation.operationId,
    tags: [operation.tag],
    summary: operation.summary,
    ...(operation.description ? { description: operation.description } : {}),
    ...(operation.access === 'public' ? { security: [] } : {}),
    ...(operation.access === 'admin' ? { 'x-waplug-access': 'admin' } : {}),
    ...(parameters.length ? { parameters } : {}),
    ...(operation.body ? { requestBody: { required: bodyRequired(operation.body), content: { 'application/json': { schema: toOpenApiSchema(operation.body) } } } } : {}),
    responses,
  }
}

/** A body whose fields are all optional may be left out: an empty body reads as `{}`. */
const bodyRequired = (body: JsonSchema): boolean => body.type !== 'object' || (Array.isArray(body.required) && body.required.length > 0)

const STATUS_TEXT: Record<number, string> = { 200: 'Success', 201: 'Created' }

function parameter(name: string, where: 'path' | 'query' | 'header', schema: JsonSchema, required: boolean): Record<string, unknown> {
  const { description, ...rest } = toOpenApiSchema(schema)
  return { name, in: where, required, ...(description ? { description } : {}), schema: rest }
}

const idempotencyKey = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  description: 'A value new for each request (a UUID): a retry with the same key gets the first answer again instead of running twice.',
  schema: { type: 'string', minLength: 1, maxLength: 255 },
}
