import type Router from '@koa/router'
import type { Middleware } from 'koa'
import type { Metrics } from '../metrics/metrics.js'
import { adminOnly } from './session-scope.js'

/** The label of a request no route matched: raw paths would make a time series per typo and per probe. */
export const UNMATCHED_ROUTE = '(unmatched)'

/**
 * Outermost: counts every request and its latency by the route's pattern
 * (`/sessions/:session/groups`), never the raw path, with the status code it
 * ended with, refusals by auth and errors included.
 */
export function httpMetrics(metrics: Metrics, router: Router): Middleware {
  return async (ctx, next) => {
    const started = performance.now()
    try {
      await next()
    } finally {
      // The router names the pattern it ran; a request refused before routing (a bad key) is matched here.
      const matched = (ctx as { _matchedRoute?: string | RegExp })._matchedRoute ?? router.match(ctx.path, ctx.method).pathAndMethod.find((layer) => layer.methods.length > 0)?.path
      const labels = { method: ctx.method, route: typeof matched === 'string' ? matched : UNMATCHED_ROUTE, code: String(ctx.status) }
      metrics.httpRequests.inc(labels)
      metrics.httpDuration.observe(labels, (performance.now() - started) / 1000)
    }
  }
}

/** GET /metrics in Prometheus' text format; with `requireKey`, for admin credentials only, since it covers every session. */
export function addMetricsRoute(router: Router, metrics: Metrics, requireKey: boolean): void {
  const answer: Middleware = async (ctx) => {
    const { contentType, body } = await metrics.exposition()
    ctx.type = contentType
    ctx.body = body
  }
  if (requireKey) router.get('/metrics', adminOnly, answer)
  else router.get('/metrics', answer)
}
