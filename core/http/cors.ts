import type { Middleware } from 'koa'

const METHODS = 'GET, POST, PUT, PATCH, DELETE'
/** What a browser may send: the credential, the JSON body, retries and resuming the event stream. */
const ALLOWED_HEADERS = 'Authorization, Content-Type, Idempotency-Key, Last-Event-ID, X-Request-Id'
/** What a browser script may read besides the simple headers. */
const EXPOSED_HEADERS = 'X-Request-Id, Retry-After, Idempotent-Replayed, Allow'
const MAX_AGE_SECONDS = '600'

/**
 * CORS for the configured origins (`*`: any). A preflight from one of them is
 * answered 204 here, before authentication, since browsers send it without
 * credentials; every other response to them carries Access-Control-Allow-Origin,
 * errors included, so the page can read the envelope. Other origins get no
 * CORS headers at all, and their preflight goes on like any OPTIONS request.
 * No origins: nothing is added (the default).
 */
export function cors(origins: string[]): Middleware {
  const any = origins.includes('*')
  const listed = new Set(origins)
  if (origins.length === 0) return (_ctx, next) => next()
  return async (ctx, next) => {
    // The answer depends on Origin whenever CORS is on, so caches must keep them apart.
    if (!any) ctx.vary('Origin')
    const origin = ctx.get('origin')
    if (!origin || !(any || listed.has(origin))) {
      await next()
      return
    }
    ctx.set('Access-Control-Allow-Origin', any ? '*' : origin)
    if (ctx.method === 'OPTIONS' && ctx.get('access-control-request-method')) {
      ctx.set('Access-Control-Allow-Methods', METHODS)
      ctx.set('Access-Control-Allow-Headers', ALLOWED_HEADERS)
      ctx.set('Access-Control-Max-Age', MAX_AGE_SECONDS)
      ctx.status = 204
      return
    }
    ctx.set('Access-Control-Expose-Headers', EXPOSED_HEADERS)
    await next()
  }
}
