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
}

export interface Principal {
  kind: 'api-key' | 'jwt'
  subject?: string
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
    if (!secret || !JWT_SHAPE.test(credential)) throw unauthorized(MISSING_AUTH)
    // Loaded on the first JWT: most bots use API keys only, and need not pay for jose at start-up.
    const { errors: joseErrors, jwtVerify } = await import('jose')
    try {
      const { payload } = await jwtVerify(credential, secret, { algorithms: ['HS256'], clockTolerance: 5 })
      const caller = payload.sub ? callerOf('jwt-subject', payload.sub) : callerOf('jwt', credential)
      return { kind: 'jwt', caller, ...(payload.sub ? { subject: payload.sub } : {}) }
    } catch (error) {
      if (error instanceof joseErrors.JOSEError) throw unauthorized(BAD_JWT)
      throw error
    }
  }
}

export function authMiddleware(authenticate: ReturnType<typeof makeAuthenticator>, open: Set<string>): Middleware {
  return async (ctx, next) => {
    if (!open.has(ctx.path)) ctx.state.principal = await authenticate(ctx.get('authorization') || undefined)
    await next()
  }
}
