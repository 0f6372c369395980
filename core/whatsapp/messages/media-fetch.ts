import { Readable, Transform, type TransformCallback } from 'node:stream'
import type { ReadableStream as WebReadableStream } from 'node:stream/web'
import { WaplugError } from '../../errors.js'
import { urlProblem, type AllowedAddresses, type UrlUse } from '../../webhooks/url-guard.js'

export interface MediaFetchLimits {
  maxBytes: number
  /** For the whole fetch, body included. */
  timeoutMs: number
  allow: AllowedAddresses
}

const MEDIA_URL: UrlUse = { noun: 'media URL', purpose: 'serve media', allowKey: 'messages.media.allow', example: 'https://example.com/photo.jpg' }
/** Each hop is checked like the first, so a redirect cannot lead to an address the first URL could not name. */
const MAX_REDIRECTS = 3

export const megabytes = (bytes: number): string => `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB`

/** Too large: the same words whether the size was announced or counted. */
export const tooLarge = (maxBytes: number, what = 'the file'): WaplugError =>
  new WaplugError(413, `${what} is larger than the ${megabytes(maxBytes)} limit (messages.media.maxBytes)`)

/**
 * A guard on a stream of media: it fails the stream with `failure` once the
 * bytes pass the limit or the time runs out. The sender reads `failure`
 * afterwards, since the library reading the stream may wrap the error.
 */
export class MediaLimit extends Transform {
  failure: WaplugError | undefined
  private bytes = 0

  constructor(
    private readonly maxBytes: number,
    private readonly what: string,
  ) {
    super()
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.bytes += chunk.length
    if (this.bytes > this.maxBytes) {
      done(this.fail(tooLarge(this.maxBytes, this.what)))
      return
    }
    done(null, chunk)
  }

  fail(error: WaplugError): WaplugError {
    this.failure ??= error
    return this.failure
  }
}

/**
 * The body of a media URL as a stream, never held whole: the address is
 * checked as a webhook's is (every resolved address, every redirect hop), an
 * announced size over the limit is refused before a byte is read, and the
 * stream fails when the bytes pass the limit or the time runs out.
 */
export async function fetchMedia(url: string, limits: MediaFetchLimits, cancel?: AbortSignal): Promise<{ stream: Readable; limit: MediaLimit; mimetype?: string; fileName?: string }> {
  const controller = new AbortController()
  const slow = () => new WaplugError(408, `the media URL did not send the whole file within ${limits.timeoutMs} ms (messages.media.fetchTimeoutMs); give a faster source, or send the file as base64`)
  const limit = new MediaLimit(limits.maxBytes, 'the file at the media URL')
  const timer = setTimeout(() => {
    limit.fail(slow())
    controller.abort()
  }, limits.timeoutMs)
  timer.unref()
  const onCancel = () => controller.abort(cancel?.reason)
  cancel?.addEventListener('abort', onCancel, { once: true })
  if (cancel?.aborted) onCancel()
  let response: Response | undefined
  let current = url
  try {
    for (let hop = 0; ; hop++) {
      const refused = await urlProblem(current, limits.allow, MEDIA_URL)
      if (refused) throw new WaplugError(400, refused)
      response = await fetch(current, { redirect: 'manual', signal: controller.signal, headers: { accept: '*/*' } })
      const location = response.headers.get('location')
      if (response.status < 300 || response.status >= 400 || !location) break
      await response.body?.cancel().catch(() => undefined)
      if (hop >= MAX_REDIRECTS) throw new WaplugError(400, `the media URL redirects more than ${MAX_REDIRECTS} times; give the file's final address`)
      current = new URL(location, current).toString()
    }
  } catch (error) {
    clearTimeout(timer)
    if (error instanceof WaplugError) throw error
    if (limit.failure) throw limit.failure
    throw new WaplugError(400, `could not fetch the media URL: ${causeOf(error)}`)
  }
  if (!response.ok || !response.body) {
    clearTimeout(timer)
    await response.body?.cancel().catch(() => undefined)
    throw new WaplugError(400, `the media URL answered ${response.status}, not the file; check the address`)
  }
  const announced = Number(response.headers.get('content-length') ?? NaN)
  if (announced > limits.maxBytes) {
    clearTimeout(timer)
    controller.abort()
    throw tooLarge(limits.maxBytes, `the file at the media URL (${megabytes(announced)})`)
  }
  const body = Readable.fromWeb(response.body as WebReadableStream<Uint8Array>)
  body.on('error', (error) => limit.destroy(limit.failure ?? error))
  body.on('end', () => clearTimeout(timer))
  limit.on('close', () => clearTimeout(timer))
  body.pipe(limit)
  const mimetype = response.headers.get('content-type')?.split(';')[0]?.trim()
  const fileName = fileNameOf(response.headers.get('content-disposition'), current)
  return { stream: limit, limit, ...(mimetype ? { mimetype } : {}), ...(fileName ? { fileName } : {}) }
}

function fileNameOf(disposition: string | null, url: string): string | undefined {
  const named = disposition && /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition)?.[1]
  if (named) return decodeURIComponent(named)
  const last = new URL(url).pathname.split('/').pop()
  return last ? decodeURIComponent(last) : undefined
}

function causeOf(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause
  return cause?.code ?? cause?.message ?? (error as Error).message
}
