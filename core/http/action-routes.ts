import type Router from '@koa/router'
import type { Middleware } from 'koa'
import type { Invoker } from '../actions/invoke.js'
import type { ActionRegistry } from '../actions/registry.js'
import type { Principal } from './auth.js'
import { sessionOf } from './session-scope.js'
import { contentDisposition, isStreamedFile } from './streamed-file.js'

/**
 * One route per action with an HTTP binding, twice: as the action declares it
 * (for the `default` session) and under `/sessions/:session`. `scoped` picks
 * the session and checks the caller may act for it. Routes that change
 * something (every method but GET) go through `mutating` too: the
 * Idempotency-Key handling. The envelope's code is the status; an action that
 * answers with `streamed(...)` sends the file instead of an envelope.
 */
export function addActionRoutes(router: Router, registry: ActionRegistry, invoker: Invoker, scoped: Middleware, mutating: Middleware): void {
  for (const action of registry.list()) {
    const binding = action.definition.http
    if (!binding) continue
    const readsQuery = binding.method === 'GET'
    const handler: Middleware = async (ctx) => {
      const { session: _session, ...params } = ctx.params as Record<string, string>
      // DELETE bodies are often dropped by clients and proxies: its query counts too, the body winning.
      const body: unknown = ctx.state.body
      const source: unknown = readsQuery ? { ...ctx.query } : binding.method === 'DELETE' && isPlainObject(body) ? { ...ctx.query, ...body } : body
      // Path parameters win over body fields of the same name: the URL names the resource.
      const input = source !== null && typeof source === 'object' && !Array.isArray(source) ? { ...source, ...params } : source
      const principal = ctx.state.principal as Principal | undefined
      ctx.state.action = action.id
      const caller = {
        transport: 'http' as const,
        session: sessionOf(ctx).id,
        requestId: String(ctx.state.requestId),
        isOwner: true,
        ...(principal?.subject ? { jid: principal.subject } : {}),
      }
      const { envelope, headers } = await invoker.invoke(action, input, caller, { words: readsQuery })
      ctx.set(headers)
      if (envelope.status && isStreamedFile(envelope.data)) {
        const file = envelope.data
        ctx.status = 200
        ctx.type = file.contentType
        ctx.set('Content-Disposition', contentDisposition(file.fileName))
        ctx.set('X-Content-Type-Options', 'nosniff')
        ctx.body = file.stream
        if (file.size !== undefined) ctx.length = file.size
        return
      }
      ctx.status = envelope.code
      ctx.body = envelope
    }
    const chain = [scoped, ...(readsQuery ? [] : [mutating]), handler]
    router.register(binding.path, [binding.method], chain)
    router.register(`/sessions/:session${binding.path}`, [binding.method], chain)
  }
}

const isPlainObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value)
