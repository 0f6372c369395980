import { PassThrough } from 'node:stream'
import type Router from '@koa/router'
import type { ParameterizedContext } from 'koa'
import type { SessionManager } from '../sessions/manager.js'
import type { OutboxEvent } from '../storage/outbox.js'
import { wants } from '../webhooks/event-filter.js'
import type { Webhooks } from '../webhooks/webhooks.js'
import { adminOnly, forSession, sessionOf } from './session-scope.js'

/** A comment this often keeps proxies from closing a quiet stream. */
const HEARTBEAT_MS = 15_000
/** Events read from the log at a time while catching up. */
const PAGE = 500

/**
 * `GET /events` (every session, admin) and `GET /sessions/:session/events`:
 * Server-Sent Events with the webhooks' events, each with its place in the
 * log as its id, so a client that reconnects with `Last-Event-ID` (or
 * `?after=`) gets what it missed from the outbox, then the live ones.
 * `?types=message.*,group.*` filters.
 */
export function addEventStream(router: Router, webhooks: Webhooks, sessions: SessionManager): void {
  router.get('/events', adminOnly, (ctx) => stream(ctx, webhooks, undefined))
  router.get('/sessions/:session/events', forSession(sessions), (ctx) => stream(ctx, webhooks, sessionOf(ctx).id))
}

function stream(ctx: ParameterizedContext, webhooks: Webhooks, session: string | undefined): void {
  const types = String(ctx.query.types ?? '*')
    .split(',')
    .map((type) => type.trim())
    .filter(Boolean)
  const resumeFrom = Number(ctx.get('last-event-id') || ctx.query.after || NaN)
  const body = new PassThrough()
  const wanted = (event: OutboxEvent) => (session === undefined || event.session === session) && wants(types, event.type)
  const write = (event: OutboxEvent) => {
    if (wanted(event)) body.write(`id: ${event.seq}\nevent: ${event.type}\ndata: ${JSON.stringify({ id: event.id, type: event.type, session: event.session, timestamp: event.timestamp, data: event.data })}\n\n`)
  }

  // Live events are held back while the log is read, so none is missed or sent twice.
  let catchingUp = true
  const held: OutboxEvent[] = []
  let last = 0
  const off = webhooks.feed.onEvent((event) => {
    if (catchingUp) held.push(event)
    else if (event.seq > last) {
      last = event.seq
      write(event)
    }
  })
  if (Number.isFinite(resumeFrom)) {
    last = resumeFrom
    for (;;) {
      const page = webhooks.outbox.eventsAfter(last, PAGE)
      for (const event of page) {
        write(event)
        last = event.seq
      }
      if (page.length < PAGE) break
    }
  }
  for (const event of held) {
    if (event.seq > last) {
      last = event.seq
      write(event)
    }
  }
  catchingUp = false

  const heartbeat = setInterval(() => body.write(': still here\n\n'), HEARTBEAT_MS)
  const close = () => {
    clearInterval(heartbeat)
    off()
    body.end()
  }
  ctx.req.on('close', close)
  ctx.req.socket.setTimeout(0)
  ctx.set({ 'cache-control': 'no-cache', connection: 'keep-alive', 'x-accel-buffering': 'no' })
  ctx.type = 'text/event-stream'
  ctx.status = 200
  body.write(': connected\n\n')
  ctx.body = body
}
