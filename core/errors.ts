import { recognizedAcrossCopies } from './across-copies.js'

/**
 * The error catalogue. `message` in an envelope is always the short phrase for its
 * code; `error` is the specific reason, written for the person who has to act on it.
 */
export const STATUS_MESSAGES = {
  400: 'Bad request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not found',
  405: 'Method not allowed',
  408: 'Request timeout',
  409: 'Conflict',
  413: 'Payload too large',
  415: 'Unsupported media type',
  417: 'Expectation failed',
  422: 'Unprocessable content',
  429: 'Too many requests',
  431: 'Request header fields too large',
  500: 'Internal server error',
  503: 'Service unavailable',
  504: 'Gateway timeout',
} as const

export type ErrorCode = keyof typeof STATUS_MESSAGES

export function isErrorCode(code: number): code is ErrorCode {
  return Object.hasOwn(STATUS_MESSAGES, code)
}

export function statusMessage(code: number): string {
  return isErrorCode(code) ? STATUS_MESSAGES[code] : code >= 500 ? STATUS_MESSAGES[500] : STATUS_MESSAGES[400]
}

/**
 * An error meant for the client: its `reason` is shown as the envelope's `error`.
 * Anything else thrown by a handler is logged and reported as a 500 with the
 * action's failure text, never with its own message.
 */
export class WaplugError extends Error {
  readonly code: ErrorCode
  readonly reason: string
  /** Extra response headers, e.g. Retry-After for 429. */
  readonly headers: Record<string, string>

  constructor(code: ErrorCode, reason: string, options?: { cause?: unknown; headers?: Record<string, string> }) {
    super(reason, options?.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'WaplugError'
    this.code = code
    this.reason = reason
    this.headers = options?.headers ?? {}
  }
}
recognizedAcrossCopies(WaplugError, 'WaplugError')

export const badRequest = (reason: string) => new WaplugError(400, reason)
export const unauthorized = (reason: string) => new WaplugError(401, reason)
export const forbidden = (reason: string) => new WaplugError(403, reason)
export const notFound = (reason: string) => new WaplugError(404, reason)
export const conflict = (reason: string) => new WaplugError(409, reason)
export const tooManyRequests = (reason: string, retryAfterSeconds?: number) =>
  new WaplugError(429, reason, retryAfterSeconds === undefined ? undefined : { headers: { 'Retry-After': String(retryAfterSeconds) } })
export const unavailable = (reason: string) => new WaplugError(503, reason)
export const timedOut = (reason: string) => new WaplugError(504, reason)

/** Raised while starting when the runtime cannot run as configured; printed as one line. */
export class StartupError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'StartupError'
  }
}
