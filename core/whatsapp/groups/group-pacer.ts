import type { PacingRecorder } from '../../metrics/metrics.js'
import { setTimeout as sleep } from 'node:timers/promises'
import { TokenBucket } from '../token-bucket.js'
import { WhatsAppError } from '../types.js'

export interface PacerOptions {
  /** Calls that may go out at once after a quiet spell. */
  burst: number
  /** Calls per second after the burst. */
  perSecond: number
  /** A call that would wait longer than this is refused at once with 429. */
  maxWaitMs: number
  /** After WhatsApp answers rate-overlimit, group calls are refused for this long. */
  pauseAfterLimitSeconds: number
  now?: () => number
  /** Told how long each call waited for its slot, or that it was refused (metrics). */
  record?: PacingRecorder
}

/**
 * Spaces group calls out so a busy bot does not get its number rate-limited
 * ("rate-overlimit"): a token bucket, where each call reserves a slot and waits
 * for it. When WhatsApp says the limit was hit anyway, every group call is
 * refused with a retry time until the pause is over, because retrying early
 * only extends WhatsApp's penalty.
 */
export class GroupPacer {
  private readonly bucket: TokenBucket
  private pausedUntil = 0
  private readonly now: () => number

  constructor(private readonly options: PacerOptions) {
    this.now = options.now ?? Date.now
    this.bucket = new TokenBucket(options.burst, options.perSecond, this.now)
  }

  /** `cancel` ends a wait for a slot at once (the connection the call was for is gone), with its reason; the slot is given back. */
  async run<T>(call: () => Promise<T>, cancel?: AbortSignal): Promise<T> {
    const now = this.now()
    if (now < this.pausedUntil) {
      this.options.record?.refused()
      throw limited(this.pausedUntil - now)
    }
    const waitMs = this.bucket.reserve()
    if (waitMs > this.options.maxWaitMs) {
      this.bucket.giveBack()
      this.options.record?.refused()
      throw limited(waitMs)
    }
    this.options.record?.waited(waitMs)
    if (waitMs > 0) {
      try {
        await sleep(waitMs, undefined, cancel ? { signal: cancel } : {})
      } catch (error) {
        this.bucket.giveBack()
        throw cancel?.aborted ? cancel.reason : error
      }
    }
    try {
      return await call()
    } catch (error) {
      if (error instanceof WhatsAppError && error.kind === 'rate-limited') {
        const pauseMs = this.options.pauseAfterLimitSeconds * 1000
        this.pausedUntil = this.now() + pauseMs
        throw limited(pauseMs, error)
      }
      throw error
    }
  }
}

function limited(waitMs: number, cause?: unknown): WhatsAppError {
  const retryAfterSeconds = Math.max(1, Math.ceil(waitMs / 1000))
  return new WhatsAppError('rate-limited', `group calls are paused for ${retryAfterSeconds} s`, 429, { retryAfterSeconds, ...(cause ? { cause } : {}) })
}
