import type { Middleware } from 'koa'
import getRawBody from 'raw-body'
import { WaplugError, badRequest } from '../errors.js'

const WITH_BODY = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])
/** application/json, or any type with the +json suffix, with or without parameters (what `ctx.is('application/json', '+json')` takes). */
const JSON_TYPE = /^\s*application\/(?:[\w.!#$%&'*^`|~-]+\+)?json\s*(?:;|$)/i

/** JSON only, within a size limit; an empty body reads as `{}`. */
export function jsonBody(limitBytes: number, limitText: string): Middleware {
  return async (ctx, next) => {
    if (!WITH_BODY.has(ctx.method)) {
      await next()
      return
    }
    const length = ctx.get('content-length')
    const hasBody = Boolean(ctx.get('transfer-encoding')) || (length !== '' && length !== '0')
    if (!hasBody) {
      ctx.state.body = {}
      await next()
      return
    }
    // A regex rather than ctx.is(): type-is parses the header in full on every request.
    if (!JSON_TYPE.test(ctx.get('content-type'))) {
      throw new WaplugError(415, `Send the body as JSON with the header Content-Type: application/json (got '${ctx.get('content-type') || 'none'}')`)
    }
    let raw: string
    try {
      // Read as bytes and decoded here: asking raw-body for utf8 runs it through iconv-lite, a cost on every
      // request. Its decoder dropped a leading byte-order mark, which some clients send; so does this.
      raw = (await getRawBody(ctx.req, { limit: limitBytes, ...(length ? { length } : {}) })).toString('utf8').replace(/^\uFEFF/, '')
    } catch (error) {
      const type = (error as { type?: string }).type
      if (type === 'entity.too.large') throw new WaplugError(413, `The request body is larger than the ${limitText} limit`)
      throw badRequest('The request body could not be read')
    }
    try {
      ctx.state.body = raw.trim() === '' ? {} : (JSON.parse(raw) as unknown)
    } catch {
      throw badRequest('Invalid JSON body')
    }
    await next()
  }
}
