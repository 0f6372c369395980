import type { Middleware } from 'koa'
import { forbidden } from '../errors.js'
import type { SessionManager } from '../sessions/manager.js'
import { DEFAULT_SESSION } from '../sessions/session-id.js'
import type { Session } from '../sessions/session.js'
import type { Principal } from './auth.js'

const scopeOf = (ctx: { state: Record<string, unknown> }): string[] | undefined => (ctx.state.principal as Principal | undefined)?.sessions

/** The session a route acts for: the one its path names (`/sessions/:session/…`), or `default`. */
export function forSession(sessions: SessionManager): Middleware {
  return (ctx, next) => {
    const id = (ctx.params as Record<string, string | undefined>).session ?? DEFAULT_SESSION
    const scope = scopeOf(ctx)
    // Refused before looking the session up, so a scoped key cannot learn which sessions exist.
    if (scope && !scope.includes(id)) {
      throw forbidden(`This credential is for session${scope.length === 1 ? '' : 's'} ${scope.map((s) => `'${s}'`).join(', ') || '(none)'}, not '${id}'; use /sessions/${scope[0] ?? '<session>'}/… or an admin key`)
    }
    ctx.state.session = sessions.require(id)
    return next()
  }
}

/** Creating, deleting and listing sessions, and their keys: admin credentials only. */
export const adminOnly: Middleware = async (ctx, next) => {
  if (scopeOf(ctx)) throw forbidden('Managing sessions needs an admin credential (an API key from the configuration, or a JWT without a sessions claim); this one reaches only its own session')
  await next()
}

export const sessionOf = (ctx: { state: Record<string, unknown> }): Session => ctx.state.session as Session
