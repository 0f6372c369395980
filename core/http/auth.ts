import { createHash } from 'node:crypto'
import type { Middleware } from 'koa'
import { unauthorized } from '../errors.js'
import { makeKeyMatcher } from './api-keys.js'

export const MISSING_AUTH = 'Invalid or missing authentication'
export const BAD_JWT = 'Invalid or expired JWT token'

const JWT_SHAPE = /^[\w-]+\.[\w-]+\.[\w-]*$/

export interface AuthOptions {
  apiKeys: string[]
  jwtSecret: string | null
  /** A JWT without `exp` is refused (default true). */
  jwtRequireExp?: boolean
  /** A JWT whose `exp` is further ahead than this is refused (default a day). */
  jwtMaxLifetimeSeconds?: number
  /** The session a session key belongs to. */
  sessionOfKey?: (key: string) => string | undefined
}

export interface Principal {
  kind: 'api-key' | 'session-key' | 'jwt'
  subject?: string
  /**
   * The sessions this caller may act for; absent for admin credentials (the
   * configured keys, and JWTs without a `sessions` claim), which reach all.
   */
  sessions?: string[]
  /**
   * Who is calling, as a hash that is safe to store and log: of the API key, of
   * the JWT's subject, or of the token itself when it names no subject.
   */
  caller: string
}

const callerOf = (kind: string, value: string): string => createHash('sha256').update(`${kind}\0${value}`).digest('hex')

/**
 * `Authorization: <key>`, `Bearer <key>` or `Bearer <JWT>` (HS256 only: the
 * algorithm is pinned so a token cannot choose a weaker one; nbf and exp are
 * enforced, exp is required unless configured otherwise, and may be at most
 * `jwtMaxLifetimeSeconds` ahead, so a leaked token does not work for ever).
 * A JWT is only tried when a secret is configured, and only after `Bearer`.
 */
export function makeAuthenticator(options: AuthOptions): (header: string | undefined) => Promise<Principal> {
  const matchKey = makeKeyMatcher(options.apiKeys)
  // Hashed once here rather than on every request: the configured keys do not change while the server runs.
  const keyPrincipals: Principal[] = options.apiKeys.map((key) => ({ kind: 'api-key', caller: callerOf('api-key', key) }))
  const secret = options.jwtSecret ? new TextEncoder().encode(options.jwtSecret) : undefined
  const requireExp = options.jwtRequireExp ?? true
  const maxLifetime = options.jwtMaxLifetimeSeconds ?? 86400
  return async (header) => {
    const value = header?.trim() ?? ''
    if (!value) throw unauthorized(MISSING_AUTH)
    const bearer = /^bearer\s+/i.test(value)
    const credential = bearer ? value.replace(/^bearer\s+/i, '') : value
    const key = keyPrincipals[matchKey(credential)]
    if (key) return { ...key }
    const session = options.sessionOfKey?.(credential)
    if (session) return { kind: 'session-key', caller: callerOf('session-key', credential), sessions: [session] }
    if (!secret || !JWT_SHAPE.test(credential)) throw unauthorized(MISSING_AUTH)
    if (!bearer) throw unauthorized(`${MISSING_AUTH}: send a JWT as Authorization: Bearer <token>`)
    // Loaded on the first JWT: most bots use API keys only, and need not pay for jose at start-up.
    const { errors: joseErrors, jwtVerify } = await import('jose')
    let payload: Awaited<ReturnType<typeof jwtVerify>>['payload']
    try {
      ;({ payload } = await jwtVerify(credential, secret, { algorithms: ['HS256'], clockTolerance: 5 }))
    } catch (error) {
      if (error instanceof joseErrors.JOSEError) throw unauthorized(BAD_JWT)
      throw error
    }
    if (payload.exp === undefined && requireExp) throw unauthorized(`${BAD_JWT}: it has no exp claim; a token must say when it expires`)
    if (payload.exp !== undefined && payload.exp - Date.now() / 1000 > maxLifetime + 5) {
      throw unauthorized(`${BAD_JWT}: its exp is more than ${maxLifetime} seconds ahead; a token may be valid for at most ${maxLifetime} seconds (http.jwtMaxLifetimeSeconds)`)
    }
    // The subject is the caller's identity (Idempotency-Key records): only a string may name it.
    const sub: unknown = payload.sub
    if (sub !== undefined && typeof sub !== 'string') throw unauthorized(`${BAD_JWT}: its sub claim is not a string`)
    const caller = sub ? callerOf('jwt-subject', sub) : callerOf('jwt', credential)
    const sessions = sessionsClaim(payload.sessions)
    return { kind: 'jwt', caller, ...(sub ? { subject: sub } : {}), ...(sessions ? { sessions } : {}) }
  }
}

/** A `sessions` claim limits the token to those sessions; anything but a list of names grants none. */
function sessionsClaim(claim: unknown): string[] | undefined {
  if (claim === undefined) return undefined
  if (typeof claim === 'string') return [claim]
  return Array.isArray(claim) ? claim.filter((item): item is string => typeof item === 'string') : []
}

export function authMiddleware(authenticate: ReturnType<typeof makeAuthenticator>, open: Set<string>): Middleware {
  return async (ctx, next) => {
    if (!open.has(ctx.path)) ctx.state.principal = await authenticate(ctx.get('authorization') || undefined)
    await next()
  }
}
