import type Router from '@koa/router'
import type { Middleware } from 'koa'
import type { Invoker } from '../actions/invoke.js'
import type { ActionRegistry } from '../actions/registry.js'
import type { Principal } from './auth.js'

/**
 * One route per action with an HTTP binding; the envelope's code is the status.
 * Routes that change something (every method but GET) go through `mutating`
 * first: the Idempotency-Key handling.
 */
export function addActionRoutes(router: Router, registry: ActionRegistry, invoker: Invoker, mutating: Middleware): void {
  for (const action of registry.list()) {
    const binding = action.definition.http
    if (!binding) continue
    const readsQuery = binding.method === 'GET'
    router.register(binding.path, [binding.method], [...(readsQuery ? [] : [mutating]), async (ctx) => {
      const source: unknown = readsQuery ? { ...ctx.query } : ctx.state.body
      // Path parameters win over body fields of the same name: the URL names the resource.
      const input = source !== null && typeof source === 'object' && !Array.isArray(source) ? { ...source, ...ctx.params } : source
      const principal = ctx.state.principal as Principal | undefined
      const caller = {
        transport: 'http' as const,
        requestId: String(ctx.state.requestId),
        isOwner: true,
        ...(principal?.subject ? { jid: principal.subject } : {}),
      }
      const { envelope, headers } = await invoker.invoke(action, input, caller, { words: readsQuery })
      ctx.set(headers)
      ctx.status = envelope.code
      ctx.body = envelope
    }])
  }
}
