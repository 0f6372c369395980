import { setTimeout as sleep } from 'node:timers/promises'
import type { PacingRecorder } from '../../metrics/metrics.js'
import { TokenBucket } from '../token-bucket.js'
import { WhatsAppError } from '../types.js'

export interface SendPacingOptions {
  /** Messages per second the number sends, over all chats, after the burst. */
  perSecond: number
  /** Messages that may go out at once after a quiet spell. */
  burst: number
  /** Messages per second into any one chat, after `perChatBurst`. */
  perChatPerSecond: number
  perChatBurst: number
  /** A send that would wait longer than this is refused at once (429 with Retry-After). */
  maxWaitSeconds: number
}

/** Chats whose bucket is full again are forgotten past this many. */
const CHATS_REMEMBERED = 1000

/**
 * Spaces out one session's sends, overall and per chat, so that a busy bot
 * or a loop in someone's script does not look like spam to WhatsApp, which
 * bans numbers for it. A send waits for a slot in both buckets; one that
 * would wait longer than `maxWaitSeconds` is refused at once rather than
 * piling up behind the others.
 */
export class SendPacer {
  private readonly overall: TokenBucket
  private readonly chats = new Map<string, TokenBucket>()

  constructor(
    private readonly options: SendPacingOptions,
    private readonly now: () => number = Date.now,
    private readonly record?: PacingRecorder,
  ) {
    this.overall = new TokenBucket(options.burst, options.perSecond, now)
  }

  /** Runs `send` once its slot comes; `cancel` ends the wait (the slot is given back) with its reason. */
  async run<T>(chat: string, send: () => Promise<T>, cancel?: AbortSignal): Promise<T> {
    const chatBucket = this.bucketOf(chat)
    const waitMs = Math.max(this.overall.reserve(), chatBucket.reserve())
    const giveBack = () => {
      this.overall.giveBack()
      chatBucket.giveBack()
    }
    if (waitMs > this.options.maxWaitSeconds * 1000) {
      giveBack()
      this.record?.refused()
      const retryAfterSeconds = Math.max(1, Math.ceil((waitMs - this.options.maxWaitSeconds * 1000) / 1000))
      throw new WhatsAppError(
        'rate-limited',
        `sends are paced to keep the number from being banned, and this one would wait ${Math.ceil(waitMs / 1000)} s (more than messages.pacing.maxWaitSeconds)`,
        429,
        { retryAfterSeconds },
      )
    }
    this.record?.waited(waitMs)
    if (waitMs > 0) {
      try {
        await sleep(waitMs, undefined, cancel ? { signal: cancel } : {})
      } catch (error) {
        giveBack()
        throw cancel?.aborted ? cancel.reason : error
      }
    }
    return send()
  }

  private bucketOf(chat: string): TokenBucket {
    let bucket = this.chats.get(chat)
    if (!bucket) {
      if (this.chats.size >= CHATS_REMEMBERED) for (const [key, old] of this.chats) if (old.rested) this.chats.delete(key)
      bucket = new TokenBucket(this.options.perChatBurst, this.options.perChatPerSecond, this.now)
      this.chats.set(chat, bucket)
    }
    return bucket
  }
}
