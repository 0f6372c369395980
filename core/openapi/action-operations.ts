import type { ActionErrors } from '../actions/action.js'
import type { RegisteredAction } from '../actions/registry.js'
import type { JsonSchema } from '../validation.js'
import { mergeErrors, type OperationDoc } from './operation.js'
import { SESSION_PARAM } from './routes/session-param.js'

/** `/groups/:jid/leave` → `['jid']`. */
export const pathParamsOf = (path: string): string[] => [...path.matchAll(/:(\w+)/g)].map((match) => match[1] ?? '')

/**
 * Every action with an HTTP binding, as action-routes.ts mounts it: as
 * declared (for the `default` session) and under `/sessions/:session`. Input
 * properties the path names come from the path; on GET and DELETE the others
 * from the query string (text the schema converts: `?refresh=true`; a DELETE's
 * JSON body works too), otherwise from the JSON body.
 */
export function actionOperations(actions: readonly RegisteredAction[]): OperationDoc[] {
  return actions.flatMap((action) => {
    if (!action.definition.http) return []
    const plain = operationOf(action)
    return [
      plain,
      {
        ...plain,
        path: `/sessions/:session${plain.path}`,
        operationId: `${plain.operationId}.inSession`,
        pathParams: { session: SESSION_PARAM, ...plain.pathParams },
        errors: mergeErrors({ 404: 'There is no such session; GET /sessions lists them.' }, plain.errors),
      },
    ]
  })
}

function operationOf(action: RegisteredAction): OperationDoc {
  const { definition } = action
  const { method, path } = definition.http ?? { method: 'GET', path: '/' }
  const input = definition.input
  const properties = (input.properties ?? {}) as Record<string, JsonSchema>
  const required = new Set((input.required as string[] | undefined) ?? [])
  const inPath = pathParamsOf(path)
  const rest = Object.keys(properties).filter((name) => !inPath.includes(name))
  const pathParams = Object.fromEntries(inPath.map((name) => [name, properties[name] ?? { type: 'string' }]))
  const errors = mergeErrors(
    {
      400: 'The input is not valid: `error` names the field and what it must be.',
      404: `The plugin '${action.plugin}' is turned off for this session.`,
      500: `It failed for a reason the caller cannot fix: \`error\` is "${definition.failureMessage}".`,
      504: 'It ran past its time limit (actions.timeoutMs).',
    },
    definition.needsWhatsApp === false ? undefined : needsWhatsApp,
    definition.errors,
  )
  const operation: OperationDoc = {
    method,
    path,
    operationId: action.id,
    tag: action.plugin,
    summary: definition.summary,
    ...(definition.description ? { description: definition.description } : {}),
    access: 'session',
    pathParams,
    errors,
    ...answerOf(definition.output),
  }
  // DELETE reads the query string too (clients and proxies often drop a DELETE's body): described there.
  if (method === 'GET' || method === 'DELETE') {
    operation.query = Object.fromEntries(rest.map((name) => [name, properties[name] ?? {}]))
    operation.requiredQuery = rest.filter((name) => required.has(name))
    if (method === 'DELETE') operation.mutating = true
  } else {
    operation.mutating = true
    if (input.type !== 'object' || !input.properties) operation.body = input
    else if (rest.length > 0 || input.additionalProperties !== false) {
      const { properties: _all, required: _required, ...shape } = input
      const bodyRequired = [...required].filter((name) => !inPath.includes(name))
      operation.body = {
        ...shape,
        properties: Object.fromEntries(rest.map((name) => [name, properties[name] ?? {}])),
        ...(bodyRequired.length ? { required: bodyRequired } : {}),
      }
    }
  }
  return operation
}

/** What every action that talks to WhatsApp may answer. */
const needsWhatsApp: ActionErrors = {
  429: 'WhatsApp limits how often this number may do that; Retry-After says when to try again.',
  503: 'WhatsApp is not connected (yet), or the connection closed before it answered; try again in a few seconds.',
  504: "WhatsApp did not answer in time; where the change may still have happened, `error` says where to check before trying again.",
}

/**
 * An output schema with `contentMediaType` is a file the route sends as it is
 * (an action that answers with a stream), not an envelope: its type is the
 * answer's content type (`*\/*` when it varies).
 */
function answerOf(output: JsonSchema | undefined): Pick<OperationDoc, 'output' | 'content'> {
  if (!output) return {}
  const media = output.contentMediaType
  if (typeof media === 'string') return { content: { [media]: { type: 'string', contentEncoding: 'binary', ...output } } }
  return { output }
}
