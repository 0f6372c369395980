import { NEW_WEBHOOK_SCHEMA, REPLAY_SCHEMA } from '../../http/webhook-routes.js'
import type { JsonSchema } from '../../validation.js'
import type { Access, OperationDoc } from '../operation.js'
import { SESSION_PARAM } from './session-param.js'

const VIEW_PROPERTIES = {
  id: { type: 'string' },
  url: { type: 'string' },
  events: { type: 'array', items: { type: 'string' }, description: 'Event types or patterns, like `message.*`.' },
  session: { type: ['string', 'null'], description: "Only this session's events; null: every session's." },
  state: { enum: ['active', 'paused'] },
  paused_reason: { type: ['string', 'null'] },
  created_at: { type: 'string', format: 'date-time' },
  source: { enum: ['config', 'api'], description: 'Set in the configuration (change it there) or made over HTTP.' },
}
const VIEW_REQUIRED = Object.keys(VIEW_PROPERTIES)
const view = (extra: Record<string, JsonSchema> = {}): JsonSchema => ({
  type: 'object',
  required: [...VIEW_REQUIRED, ...Object.keys(extra)],
  properties: { ...VIEW_PROPERTIES, ...extra },
})
const pending = { pending: { type: 'integer', minimum: 0, description: 'Events waiting to be delivered.' } }

const ATTEMPT: JsonSchema = {
  type: 'object',
  required: ['event_id', 'event_type', 'seq', 'attempt', 'at', 'status', 'error', 'outcome', 'duration_ms'],
  properties: {
    event_id: { type: 'string' },
    event_type: { type: 'string' },
    seq: { type: 'integer' },
    attempt: { type: 'integer', minimum: 1 },
    at: { type: 'string', format: 'date-time' },
    status: { type: ['integer', 'null'], description: "The receiver's status code, when it answered." },
    error: { type: ['string', 'null'] },
    outcome: { enum: ['delivered', 'retrying', 'failed', 'paused'] },
    duration_ms: { type: 'number', minimum: 0 },
  },
}

/**
 * Webhook subscriptions: at `/webhooks` for every session (admin), and at
 * `/sessions/:session/webhooks` for one (that session's keys too).
 */
export const webhookOperations: OperationDoc[] = (
  [
    ['/webhooks', 'admin', ''],
    ['/sessions/:session/webhooks', 'session', '.inSession'],
  ] as const
).flatMap(([base, access, suffix]: readonly [string, Access, string]): OperationDoc[] => {
  const id: JsonSchema = { type: 'string', description: "The webhook's id." }
  const scope: Record<string, JsonSchema> = base === '/webhooks' ? {} : { session: SESSION_PARAM }
  const one = { ...scope, id }
  const noSuch = { 404: 'There is no such webhook (for this session).' }
  const common = { tag: 'webhooks', access }
  return [
    {
      ...common,
      method: 'POST',
      path: base,
      operationId: `webhooks.create${suffix}`,
      summary: 'Subscribe a URL to events; each delivery is signed (Standard Webhooks)',
      description: 'The answer holds the signing secret, only this once. Deliveries are retried with backoff, in order per chat, and survive restarts.',
      pathParams: scope,
      mutating: true,
      status: 201,
      body: NEW_WEBHOOK_SCHEMA,
      output: view({ secret: { type: 'string', description: 'The signing secret (`whsec_…`); keep it, it is not shown again.' } }),
      errors: { 400: 'The URL is not allowed (only public addresses, unless webhooks.allow says otherwise) or an event pattern is not valid.', 404: 'There is no such session.' },
    },
    {
      ...common,
      method: 'GET',
      path: base,
      operationId: `webhooks.list${suffix}`,
      summary: 'The webhook subscriptions, with how many events each still owes',
      pathParams: scope,
      output: { type: 'array', items: view(pending) },
    },
    {
      ...common,
      method: 'GET',
      path: `${base}/:id`,
      operationId: `webhooks.get${suffix}`,
      summary: 'One webhook subscription',
      pathParams: one,
      output: view(pending),
      errors: noSuch,
    },
    {
      ...common,
      method: 'DELETE',
      path: `${base}/:id`,
      operationId: `webhooks.delete${suffix}`,
      summary: 'Delete a webhook subscription and what it still owes',
      pathParams: one,
      mutating: true,
      output: { type: 'object', required: ['id'], properties: { id: { type: 'string' } } },
      errors: { ...noSuch, 409: 'It is set in the configuration (webhooks.subscriptions); remove it there.' },
    },
    {
      ...common,
      method: 'GET',
      path: `${base}/:id/deliveries`,
      operationId: `webhooks.deliveries${suffix}`,
      summary: 'The latest delivery attempts, newest first, and what is still pending',
      pathParams: one,
      query: { limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100, description: 'How many attempts (at most 1000).' } },
      output: {
        type: 'object',
        required: ['state', 'paused_reason', 'pending', 'next_attempt_at', 'attempts'],
        properties: {
          state: { enum: ['active', 'paused'] },
          paused_reason: { type: ['string', 'null'] },
          pending: { type: 'integer', minimum: 0 },
          next_attempt_at: { type: ['string', 'null'], format: 'date-time' },
          attempts: { type: 'array', items: ATTEMPT },
        },
      },
      errors: noSuch,
    },
    {
      ...common,
      method: 'POST',
      path: `${base}/:id/replay`,
      operationId: `webhooks.replay${suffix}`,
      summary: 'Deliver kept events again, from an event or from a time on',
      description: 'Send exactly one of `from_event_id` and `since`. Events are kept for webhooks.retentionHours.',
      pathParams: one,
      mutating: true,
      body: REPLAY_SCHEMA,
      output: { type: 'object', required: ['id', 'queued'], properties: { id: { type: 'string' }, queued: { type: 'integer', minimum: 0 } } },
      errors: { ...noSuch, 400: 'Neither or both of `from_event_id` and `since` were sent, or the event is no longer kept.' },
    },
    {
      ...common,
      method: 'POST',
      path: `${base}/:id/resume`,
      operationId: `webhooks.resume${suffix}`,
      summary: 'Resume a paused webhook; what it owes is delivered',
      pathParams: one,
      mutating: true,
      output: view(),
      errors: noSuch,
    },
  ]
})
