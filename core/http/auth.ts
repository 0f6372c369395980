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
 * algorithm is pinned so a token cannot choose a weaker one; exp and nbf are
 * enforced). A JWT is only tried when a secret is configured.
 */
export function makeAuthenticator(options: AuthOptions): (header: string | undefined) => Promise<Principal> {
  const matchesKey = makeKeyMatcher(options.apiKeys)
  const secret = options.jwtSecret ? new TextEncoder().encode(options.jwtSecret) : undefined
  return async (header) => {
    const value = header?.trim() ?? ''
    if (!value) throw unauthorized(MISSING_AUTH)
    const credential = /^bearer\s+/i.test(value) ? value.replace(/^bearer\s+/i, '') : value
    if (matchesKey(credential)) return { kind: 'api-key', caller: callerOf('api-key', credential) }
    const session = options.sessionOfKey?.(credential)
    if (session) return { kind: 'session-key', caller: callerOf('session-key', credential), sessions: [session] }
    if (!secret || !JWT_SHAPE.test(credential)) throw unauthorized(MISSING_AUTH)
    // Loaded on the first JWT: most bots use API keys only, and need not pay for jose at start-up.
    const { errors: joseErrors, jwtVerify } = await import('jose')
    try {
      const { payload } = await jwtVerify(credential, secret, { algorithms: ['HS256'], clockTolerance: 5 })
      const caller = payload.sub ? callerOf('jwt-subject', payload.sub) : callerOf('jwt', credential)
      const sessions = sessionsClaim(payload.sessions)
      return { kind: 'jwt', caller, ...(payload.sub ? { subject: payload.sub } : {}), ...(sessions ? { sessions } : {}) }
    } catch (error) {
      if (error instanceof joseErrors.JOSEError) throw unauthorized(BAD_JWT)
      throw error
    }
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
