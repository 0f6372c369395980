// The bot's messages as they arrive, for tests to take one at a time.
// Each message is handed out once; a waiter registered before it arrived
// gets it first, so `await nextReply()` after the trigger cannot miss it.
// A message the bot sends again under the same id (its first try may not
// have got through) is shown once, as a phone shows it.
import type { BotMessage } from './bot-message.js'

export type ReplyFilter = (m: BotMessage) => boolean

interface Waiter {
  filter: ReplyFilter
  resolve: (m: BotMessage) => void
  reject: (e: Error) => void
  timer: NodeJS.Timeout
}

export class ReplyInbox {
  readonly received: BotMessage[] = []
  private readonly seen = new Set<string>()
  private readonly unread: BotMessage[] = []
  private readonly waiters: Waiter[] = []
  /** Last problems decrypting the bot's messages, quoted when a wait times out. */
  readonly failures: string[] = []

  push(m: BotMessage): void {
    const key = `${m.bot} ${m.chat} ${m.id}`
    if (this.seen.has(key)) return
    this.seen.add(key)
    this.received.push(m)
    const i = this.waiters.findIndex((w) => w.filter(m))
    if (i < 0) {
      this.unread.push(m)
      return
    }
    const [w] = this.waiters.splice(i, 1)
    clearTimeout(w!.timer)
    w!.resolve(m)
  }

  fail(reason: string): void {
    this.failures.push(reason)
    if (this.failures.length > 20) this.failures.shift()
  }

  next(filter: ReplyFilter, timeoutMs: number, what: string): Promise<BotMessage> {
    const i = this.unread.findIndex(filter)
    if (i >= 0) return Promise.resolve(this.unread.splice(i, 1)[0]!)
    return new Promise<BotMessage>((resolve, reject) => {
      const waiter: Waiter = {
        filter,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.waiters.splice(this.waiters.indexOf(waiter), 1)
          reject(new Error(`no bot message ${what} within ${timeoutMs} ms${this.explain()}`))
        }, timeoutMs),
      }
      this.waiters.push(waiter)
    })
  }

  close(): void {
    for (const w of this.waiters.splice(0)) {
      clearTimeout(w.timer)
      w.reject(new Error('emulator stopped'))
    }
  }

  private explain(): string {
    const parts: string[] = []
    if (this.unread.length) parts.push(`unread: ${this.unread.map((m) => `${m.chat} "${m.text}"`).join(', ')}`)
    if (this.failures.length) parts.push(`decrypt failures: ${this.failures.slice(-3).join('; ')}`)
    return parts.length ? ` (${parts.join('; ')})` : ''
  }
}
