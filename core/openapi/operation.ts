import type { ActionErrors, HttpMethod } from '../actions/action.js'
import type { JsonSchema } from '../validation.js'

/**
 * Who may call a route: anyone (`public`); admin credentials only (`admin`:
 * the configured API keys, or a JWT without a `sessions` claim); or any
 * credential that reaches the session the route acts for (`session`, which a
 * session key or a scoped JWT may do too).
 */
export type Access = 'public' | 'admin' | 'session'

/**
 * One HTTP operation as the API reference tells it: the routes the runtime
 * mounts itself describe themselves with these, and every action becomes one
 * (twice: as declared, and under `/sessions/:session`).
 */
export interface OperationDoc {
  method: HttpMethod
  /** Koa-router path, as mounted: `/sessions/:session/keys/:key`. */
  path: string
  operationId: string
  tag: string
  summary: string
  description?: string
  access: Access
  /** Every `:name` of the path, with its schema (a `description` says what it names). */
  pathParams?: Record<string, JsonSchema>
  query?: Record<string, JsonSchema>
  /** Query parameters that must be sent. */
  requiredQuery?: string[]
  /** Request headers the route reads, besides Authorization and Idempotency-Key. */
  headers?: Record<string, JsonSchema>
  /** The JSON body's schema; none: the route reads no body. */
  body?: JsonSchema
  /** The success status: 200 unless it creates something. */
  status?: 200 | 201
  /** The success envelope's `data`; absent: any JSON value. */
  output?: JsonSchema
  /** A success that is not an envelope: content type → schema (an image, an event stream, a page). */
  content?: Record<string, JsonSchema>
  /** It changes something: Idempotency-Key is honoured. */
  mutating?: boolean
  /** The failures the route answers with itself; those every route of its kind shares are added. */
  errors?: ActionErrors
}

/** Lists of failures joined: two reasons for one status are told one after the other. */
export function mergeErrors(...lists: (ActionErrors | undefined)[]): ActionErrors {
  const merged: Record<number, string> = {}
  for (const list of lists) {
    for (const [code, reason] of Object.entries(list ?? {})) {
      const known = merged[Number(code)]
      merged[Number(code)] = known && reason && !known.includes(reason) ? `${known} ${reason}` : (known ?? reason)
    }
  }
  return merged
}
