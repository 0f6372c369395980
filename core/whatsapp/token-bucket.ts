/**
 * A token bucket where slots may be owed: each call takes one and learns how
 * long to wait for it, so calls go out at `perSecond` after a `burst`, in the
 * order they asked. Used by the group calls' and the sends' pacing.
 */
export class TokenBucket {
  private tokens: number
  private refilledAt: number

  constructor(
    private readonly burst: number,
    private readonly perSecond: number,
    private readonly now: () => number = Date.now,
  ) {
    this.tokens = burst
    this.refilledAt = now()
  }

  /** Takes a slot and says how long (ms) to wait for it. */
  reserve(): number {
    const now = this.now()
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.refilledAt) / 1000) * this.perSecond)
    this.refilledAt = now
    this.tokens -= 1
    return this.tokens >= 0 ? 0 : Math.ceil((-this.tokens / this.perSecond) * 1000)
  }

  /** Gives a reserved slot back: the call it was for did not go out. */
  giveBack(): void {
    this.tokens += 1
  }

  /** Whether the bucket is full again, i.e. remembers nothing worth keeping. */
  get rested(): boolean {
    return this.tokens + ((this.now() - this.refilledAt) / 1000) * this.perSecond >= this.burst
  }
}
