import { createHash } from 'node:crypto'
import type { Context, Middleware, Next } from 'koa'
import stringify from 'safe-stable-stringify'
import { WaplugError, badRequest } from '../errors.js'
import type { Logger } from '../logger.js'
import { DEFAULT_SESSION } from '../sessions/session-id.js'
import type { Principal } from './auth.js'
import type { IdempotencyRecords, StoredResponse } from './idempotency-records.js'

export const MAX_KEY_LENGTH = 255
export const REPLAYED_HEADER = 'Idempotent-Replayed'

/**
 * Answers that say nothing was done and the same request may simply be sent
 * again (bad input, rate limited, WhatsApp not connected): they are not kept,
 * so a retry with the same key runs.
 */
const NOTHING_DONE = new Set([400, 429, 503])

/** Headers that belong to one response rather than to the answer. */
const NOT_REPLAYED = new Set(['x-request-id', 'content-type', 'content-length'])

/**
 * `Idempotency-Key` on a mutating route (the IETF httpapi draft, as Stripe
 * does it): the first answer for a key is stored before it is sent, and a
 * retry with that key gets it again instead of running twice.
 */
export function idempotency(records: IdempotencyRecords, log: Logger): Middleware {
  const withKey = async (ctx: Context, next: Next): Promise<void> => {
    const key = readKey(ctx.req.headers['idempotency-key'] ?? '')
    // Per session too: the same key on two numbers is two requests. The default session keeps the records it had before sessions.
    const session = (ctx.state.session as { id: string } | undefined)?.id
    const principal = (ctx.state.principal as Principal | undefined)?.caller ?? 'anonymous'
    const caller = session && session !== DEFAULT_SESSION ? `${session}/${principal}` : principal
    const route = `${ctx.method} ${ctx.path}`
    const fingerprint = createHash('sha256')
      .update(`${route}?${ctx.querystring}\n${stringify(ctx.state.body) ?? ''}`)
      .digest('hex')
    const claim = await records.claim(caller, key, { fingerprint, route })
    switch (claim.kind) {
      case 'mismatch':
        throw new WaplugError(
          422,
          claim.route === route
            ? `This Idempotency-Key was already used for ${route} with another body; send the same body again to get its answer, or use a new key for a new request`
            : `This Idempotency-Key was already used for ${claim.route}; use a new key for ${route}`,
        )
      case 'in-flight':
        throw new WaplugError(409, 'A request with this Idempotency-Key is still being processed; retry in a moment to get its answer', {
          headers: { 'Retry-After': '1' },
        })
      case 'interrupted':
        throw new WaplugError(
          504,
          `A request with this Idempotency-Key (${claim.route}) was cut off when the runtime stopped, so its outcome is unknown: it may have been carried out. Check before sending it again with a new key`,
        )
      case 'replay':
        ctx.status = claim.response.status
        ctx.set(claim.response.headers)
        ctx.set(REPLAYED_HEADER, 'true')
        ctx.body = claim.response.body
        return
      case 'run':
        break
    }
    try {
      await next()
    } catch (error) {
      await records.release(claim).catch((releaseError: unknown) => log.error({ err: releaseError }, 'could not release an idempotency key'))
      throw error
    }
    const answer = storable(ctx.status, ctx.body, ctx.response.headers)
    try {
      if (answer) await records.finish(claim, answer)
      else await records.release(claim)
    } catch (error) {
      // The action ran: its answer still goes out, but a retry will not find it.
      log.error({ err: error, requestId: ctx.state.requestId as string }, 'could not store the answer for an idempotency key')
    }
  }
  // Most requests carry no key: they pass straight on.
  return (ctx, next) => (ctx.req.headers['idempotency-key'] === undefined ? next() : withKey(ctx, next))
}

function readKey(header: string | string[]): string {
  const value = (Array.isArray(header) ? header.join(', ') : header).trim()
  // The draft sends the key as a structured-field string ("..."); a bare value, as Stripe takes it, works too.
  const key = /^".*"$/.test(value) ? value.slice(1, -1).replace(/\\(["\\])/g, '$1') : value
  if (key === '') throw badRequest(`The Idempotency-Key header is empty; send a value of 1 to ${MAX_KEY_LENGTH} characters that is new for each request, such as a UUID`)
  if (key.length > MAX_KEY_LENGTH) throw badRequest(`The Idempotency-Key header is ${key.length} characters long; it may be at most ${MAX_KEY_LENGTH}`)
  if (!/^[\x20-\x7e]+$/.test(key)) throw badRequest('The Idempotency-Key header may hold only printable ASCII characters, such as a UUID')
  return key
}

function storable(status: number, body: unknown, headers: Record<string, string | number | string[] | undefined>): StoredResponse | undefined {
  const isJson = body !== null && typeof body === 'object' && !Buffer.isBuffer(body) && typeof (body as { pipe?: unknown }).pipe !== 'function'
  if (NOTHING_DONE.has(status) || !isJson) return undefined
  const kept: Record<string, string> = {}
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !NOT_REPLAYED.has(name.toLowerCase())) kept[name] = Array.isArray(value) ? value.join(', ') : String(value)
  }
  return { status, headers: kept, body }
}
