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

/** Per connection, the calls waiting on it: one abort listener per connection, not one per call. */
const waitingOn = new WeakMap<AbortSignal, Set<() => void>>()

function whenEnds(ended: AbortSignal, onEnd: () => void): () => void {
  let waiting = waitingOn.get(ended)
  if (!waiting) {
    const calls = new Set<() => void>()
    waiting = calls
    waitingOn.set(ended, calls)
    ended.addEventListener('abort', () => {
      for (const call of calls) call()
      calls.clear()
    }, { once: true })
  }
  waiting.add(onEnd)
  return () => waiting.delete(onEnd)
}

/**
 * The call's result, or an {@link UnansweredError} as soon as its connection
 * ends. Baileys' own end() removes the listeners that would reject a waiting
 * query, which then sits out its whole timeout on a socket that is gone.
 */
export function untilConnectionEnds<T>(call: Promise<T>, ended: AbortSignal): Promise<T> {
  if (ended.aborted) {
    call.catch(() => undefined)
    return Promise.reject(new UnansweredError('not-connected'))
  }
  // Whichever loses may still settle; nobody is waiting for it then.
  return new Promise<T>((resolve, reject) => {
    const forget = whenEnds(ended, () => reject(new UnansweredError('not-connected')))
    call.then(
      (value) => {
        forget()
        resolve(value)
      },
      (error: Error) => {
        forget()
        reject(error)
      },
    )
  })
}
