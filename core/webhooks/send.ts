import { Webhook } from 'standardwebhooks'
import type { OutboxEvent } from '../storage/outbox.js'
import { WAPLUG_VERSION } from '../version.js'
import { urlProblem, type AllowedAddresses } from './url-guard.js'

export interface SendOptions {
  timeoutMs: number
  /** What is read of an answer at most; the rest is not waited for. */
  maxResponseBytes: number
  allow: AllowedAddresses
}

export interface SendOutcome {
  /** The receiver's status, when it answered. */
  status: number | null
  /** Why it did not take the event, in words. */
  error: string | null
  /** When the receiver asked to be tried again (Retry-After), ms from now. */
  retryAfterMs?: number
  /** Trying again cannot help: the receiver refused this event for good. */
  final?: boolean
}

/** The body every receiver gets: the Standard Webhooks shape, with the event's id and session. */
export function payloadOf(event: OutboxEvent): string {
  return JSON.stringify({ id: event.id, type: event.type, session: event.session, timestamp: event.timestamp, data: event.data })
}

/**
 * One attempt to deliver one event, signed per Standard Webhooks: the same
 * `webhook-id` on every attempt, so receivers drop what they already took.
 * The address is checked again at every attempt: a name may resolve
 * elsewhere since the subscription was made.
 */
export async function send(url: string, secret: string, event: OutboxEvent, options: SendOptions): Promise<SendOutcome> {
  const refused = await urlProblem(url, options.allow)
  if (refused) return { status: null, error: refused }
  const body = payloadOf(event)
  const now = new Date()
  const signature = new Webhook(secret).sign(event.id, now, body)
  let response: Response
  try {
    response = await fetch(url, {
      method: 'POST',
      redirect: 'manual',
      signal: AbortSignal.timeout(options.timeoutMs),
      headers: {
        'content-type': 'application/json',
        'user-agent': `waplug/${WAPLUG_VERSION}`,
        'webhook-id': event.id,
        'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
        'webhook-signature': signature,
      },
      body,
    })
  } catch (error) {
    const name = (error as Error).name
    return { status: null, error: name === 'TimeoutError' ? `no answer within ${options.timeoutMs} ms` : `could not connect: ${causeOf(error)}` }
  }
  await drain(response, options.maxResponseBytes)
  const { status } = response
  if (status >= 200 && status < 300) return { status, error: null }
  const retryAfterMs = retryAfter(response.headers.get('retry-after'))
  if (status === 429 || status === 503) return { status, error: `answered ${status}`, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) }
  // Other 4xx refuse this event for good (408 and 425 say "later").
  if (status >= 400 && status < 500 && status !== 408 && status !== 425) return { status, error: `answered ${status}; not retried`, final: true }
  if (status >= 300 && status < 400) return { status, error: `answered ${status} (a redirect); webhooks do not follow redirects, so give the final URL`, final: true }
  return { status, error: `answered ${status}` }
}

/** Reads at most `limit` bytes of the answer, so a huge or endless one costs nothing. */
async function drain(response: Response, limit: number): Promise<void> {
  const reader: ReadableStreamDefaultReader<Uint8Array> | undefined = response.body?.getReader()
  if (!reader) return
  let read = 0
  try {
    while (read <= limit) {
      const { done, value } = await reader.read()
      if (done) return
      read += value.byteLength
    }
  } catch {
    // A body cut off after the status is still an answer.
  } finally {
    await reader.cancel().catch(() => undefined)
  }
}

function retryAfter(header: string | null): number | undefined {
  if (!header) return undefined
  if (/^\d+$/.test(header.trim())) return Number(header) * 1000
  const at = Date.parse(header)
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now())
}

function causeOf(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause
  return cause?.code ?? cause?.message ?? (error as Error).message
}
