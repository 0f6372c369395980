import type { Middleware } from 'koa'
import { failure, success } from '../envelope.js'
import { WaplugError, isErrorCode } from '../errors.js'
import type { Logger } from '../logger.js'

/**
 * Outermost middleware: every response is an envelope — errors from handlers,
 * from Koa, the router and the body reader, and the router's bare 404/405.
 * Unexpected errors are logged with the request id and never shown.
 */
export function envelopeMiddleware(logger: Logger): Middleware {
  return async (ctx, next) => {
    try {
      await next()
      // The router answers OPTIONS with Allow and an empty body; a CORS preflight (204) has none by definition.
      if (ctx.method === 'OPTIONS' && ctx.status === 200 && ctx.body === '') {
        const methods = ctx.response.get('Allow').split(/,\s*/).filter(Boolean)
        ctx.body = success('OK', { methods })
        return
      }
      if (ctx.body !== undefined && ctx.body !== null) return
      // The status is set again because Koa turns a 404 into 200 when a body is assigned.
      if (ctx.status === 405) {
        ctx.body = failure(405, `${ctx.method} is not allowed on ${ctx.path}; use ${ctx.response.get('Allow') || 'another method'}`)
        ctx.status = 405
      } else if (ctx.status === 404) {
        ctx.body = failure(404, `No route for ${ctx.method} ${ctx.path}`)
        ctx.status = 404
      } else if (ctx.status === 501) {
        ctx.body = failure(405, `${ctx.method} is not supported by this API`)
        ctx.status = 405
      }
    } catch (error) {
      if (error instanceof WaplugError) {
        ctx.status = error.code
        ctx.set(error.headers)
        ctx.body = failure(error.code, error.reason)
        return
      }
      const status = (error as { status?: number }).status
      const expose = (error as { expose?: boolean }).expose
      if (typeof status === 'number' && isErrorCode(status) && status < 500 && expose) {
        ctx.status = status
        ctx.body = failure(status, (error as Error).message)
        return
      }
      logger.error({ err: error, requestId: ctx.state.requestId as string }, 'request failed unexpectedly')
      ctx.status = 500
      ctx.body = failure(500, `Something went wrong on our side; the request id is ${String(ctx.state.requestId)}`)
    }
  }
}
