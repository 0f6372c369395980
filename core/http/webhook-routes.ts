import type Router from '@koa/router'
import type { Middleware, ParameterizedContext } from 'koa'
import { success } from '../envelope.js'
import { badRequest } from '../errors.js'
import type { SessionManager } from '../sessions/manager.js'
import { compileValidator, type JsonSchema } from '../validation.js'
import { viewOf } from '../webhooks/subscriptions.js'
import type { Webhooks } from '../webhooks/webhooks.js'
import { adminOnly, forSession, sessionOf } from './session-scope.js'

interface NewWebhook {
  url: string
  events: string[]
  session?: string | null
  secret?: string
}

/** POST /webhooks: also what the API reference shows. */
export const NEW_WEBHOOK_SCHEMA: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['url', 'events'],
  properties: {
    url: { type: 'string', title: 'url', minLength: 1, maxLength: 2048 },
    events: { type: 'array', title: 'events', minItems: 1, items: { type: 'string', minLength: 1 } },
    session: { anyOf: [{ type: 'null' }, { type: 'string', pattern: '^[a-z0-9_-]{1,32}$' }] },
    secret: { type: 'string', title: 'secret', pattern: '^whsec_[A-Za-z0-9+/=]{32,}$' },
  },
}
const validateNew = compileValidator<NewWebhook>(NEW_WEBHOOK_SCHEMA)

/** POST /webhooks/:id/replay. */
export const REPLAY_SCHEMA: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: { from_event_id: { type: 'string', minLength: 1 }, since: { type: 'string', title: 'since', pattern: '^\\d{4}-\\d{2}-\\d{2}T' } },
}
const validateReplay = compileValidator<{ from_event_id?: string; since?: string }>(REPLAY_SCHEMA)

/**
 * Webhook subscriptions: at `/webhooks` for every session (admin credentials)
 * and at `/sessions/:session/webhooks` for one (that session's keys too).
 */
export function addWebhookRoutes(router: Router, webhooks: Webhooks, sessions: SessionManager, mutating: Middleware): void {
  const scoped = forSession(sessions)
  for (const [base, guard] of [
    ['/webhooks', adminOnly],
    ['/sessions/:session/webhooks', scoped],
  ] as const) {
    /** The session the route is limited to: the path's, or none at /webhooks. */
    const limitedTo = (ctx: ParameterizedContext): string | undefined => (base === '/webhooks' ? undefined : sessionOf(ctx).id)
    const subscriptionOf = (ctx: ParameterizedContext) => webhooks.subscriptions.require(String((ctx.params as Record<string, string>).id), limitedTo(ctx))

    router.post(base, guard, mutating, async (ctx) => {
      const checked = validateNew(ctx.state.body ?? {})
      if (!checked.ok) throw badRequest(checked.error)
      const { url, events, secret } = checked.value
      const session = limitedTo(ctx) ?? checked.value.session ?? null
      const subscription = await webhooks.create({ url, events, session, ...(secret ? { secret } : {}) })
      ctx.status = 201
      ctx.body = success('Webhook created; keep its secret, it is shown only this once', { ...viewOf(subscription), secret: subscription.secret }, 201)
    })
    router.get(base, guard, (ctx) => {
      const only = limitedTo(ctx)
      const list = webhooks.subscriptions.list().filter((s) => only === undefined || s.session === only)
      ctx.body = success('Webhooks retrieved successfully', list.map((s) => ({ ...viewOf(s), pending: webhooks.outbox.pendingCount(s.id) })))
    })
    router.get(`${base}/:id`, guard, (ctx) => {
      const subscription = subscriptionOf(ctx)
      ctx.body = success('Webhook retrieved successfully', { ...viewOf(subscription), pending: webhooks.outbox.pendingCount(subscription.id) })
    })
    router.delete(`${base}/:id`, guard, mutating, async (ctx) => {
      const { id } = subscriptionOf(ctx)
      await webhooks.remove(id)
      ctx.body = success('Webhook deleted', { id })
    })
    router.get(`${base}/:id/deliveries`, guard, (ctx) => {
      const subscription = subscriptionOf(ctx)
      const limit = Math.min(1000, Math.max(1, Number(ctx.query.limit ?? 100) || 100))
      const pending = webhooks.outbox.pending(subscription.id, 1000)
      ctx.body = success('Deliveries retrieved successfully', {
        state: subscription.state,
        paused_reason: subscription.paused_reason,
        pending: webhooks.outbox.pendingCount(subscription.id),
        next_attempt_at: pending.length ? new Date(Math.max(Date.now(), Math.min(...pending.map((p) => p.nextAt)))).toISOString() : null,
        attempts: webhooks.outbox.attempts(subscription.id, limit),
      })
    })
    router.post(`${base}/:id/replay`, guard, mutating, async (ctx) => {
      const subscription = subscriptionOf(ctx)
      const checked = validateReplay(ctx.state.body ?? {})
      if (!checked.ok) throw badRequest(checked.error)
      const { from_event_id, since } = checked.value
      if ((from_event_id === undefined) === (since === undefined)) throw badRequest('Send either "from_event_id" (an event id from a delivery) or "since" (an ISO time), not both and not neither')
      const queued = await webhooks.replay(subscription, from_event_id !== undefined ? { eventId: from_event_id } : { since: Date.parse(since ?? '') })
      ctx.body = success(`${queued} event${queued === 1 ? '' : 's'} queued again`, { id: subscription.id, queued })
    })
    router.post(`${base}/:id/resume`, guard, mutating, async (ctx) => {
      const subscription = await webhooks.resume(subscriptionOf(ctx).id)
      ctx.body = success('Webhook resumed; its pending events are being delivered', viewOf(subscription))
    })
  }
}
