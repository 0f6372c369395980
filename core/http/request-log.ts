import { randomUUID } from 'node:crypto'
import type { Middleware } from 'koa'
import type { Logger } from '../logger.js'

const SAFE_ID = /^[\w.:-]{1,64}$/

/** Gives every request an id (the caller's X-Request-Id when it is sane), returns it, and logs the outcome: one line, naming the action a route ran. */
export function requestLog(logger: Logger): Middleware {
  return async (ctx, next) => {
    const incoming = ctx.get('x-request-id')
    const requestId = SAFE_ID.test(incoming) ? incoming : randomUUID()
    ctx.state.requestId = requestId
    ctx.set('X-Request-Id', requestId)
    const started = performance.now()
    try {
      await next()
    } finally {
      const ms = Math.round((performance.now() - started) * 10) / 10
      const { action } = ctx.state as { action?: string }
      logger.info({ requestId, method: ctx.method, path: ctx.path, ...(action ? { action } : {}), status: ctx.status, ms }, 'http request')
    }
  }
}
