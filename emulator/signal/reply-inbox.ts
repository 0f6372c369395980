// The bot's messages as they arrive, for tests to take one at a time. A
// message the bot sends again under the same id (its first try may not have
// got through) is shown once, as a phone shows it.
import type { BotMessage } from './bot-message.js'
import { Inbox } from './inbox.js'

export type ReplyFilter = (m: BotMessage) => boolean

export class ReplyInbox extends Inbox<BotMessage> {
  readonly received: BotMessage[] = []
  private readonly seen = new Set<string>()
  /** Last problems decrypting the bot's messages, quoted when a wait times out. */
  readonly failures: string[] = []

  constructor() {
    super((what, timeoutMs, unread) => {
      const parts: string[] = []
      if (unread.length) parts.push(`unread: ${unread.map((m) => `${m.chat} "${m.text}"`).join(', ')}`)
      if (this.failures.length) parts.push(`decrypt failures: ${this.failures.slice(-3).join('; ')}`)
      return `no bot message ${what} within ${timeoutMs} ms${parts.length ? ` (${parts.join('; ')})` : ''}`
    })
  }

  push(m: BotMessage): void {
    const key = `${m.bot} ${m.chat} ${m.id}`
    if (this.seen.has(key)) return
    this.seen.add(key)
    this.received.push(m)
    this.deliver(m)
  }

  fail(reason: string): void {
    this.failures.push(reason)
    if (this.failures.length > 20) this.failures.shift()
  }
}
