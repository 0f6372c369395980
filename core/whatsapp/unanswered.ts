import { WhatsAppError } from './types.js'

/**
 * A query went out and no answer came: it timed out, or its connection ended
 * first. For a read that is all there is to say (504 or 503); a change may or
 * may not have happened, and whoever sent it can look whether it did.
 */
export class UnansweredError extends WhatsAppError {
  constructor(kind: 'timeout' | 'not-connected', options?: { cause?: unknown }) {
    super(kind, kind === 'timeout' ? 'WhatsApp did not answer in time' : 'the connection to WhatsApp closed before it answered', kind === 'timeout' ? 408 : 428, options)
    this.name = 'UnansweredError'
  }
}

/**
 * The call's result, or an {@link UnansweredError} as soon as its connection
 * ends. Baileys' own end() removes the listeners that would reject a waiting
 * query, which then sits out its whole timeout on a socket that is gone.
 */
export async function untilConnectionEnds<T>(call: Promise<T>, ended: AbortSignal): Promise<T> {
  if (ended.aborted) {
    call.catch(() => undefined)
    throw new UnansweredError('not-connected')
  }
  let onEnd: (() => void) | undefined
  const end = new Promise<never>((_, reject) => {
    onEnd = () => reject(new UnansweredError('not-connected'))
    ended.addEventListener('abort', onEnd, { once: true })
  })
  try {
    return await Promise.race([call, end])
  } finally {
    if (onEnd) ended.removeEventListener('abort', onEnd)
    // Whichever lost may still settle; nobody is waiting for it.
    call.catch(() => undefined)
  }
}
