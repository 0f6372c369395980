// What a bot does in a chat besides sending messages, as the contact's phone
// sees it: read receipts for the contact's messages (`readMessages`) and
// chat states (typing, recording, paused) and presence. Tests take them one
// at a time, like replies.

export type ChatState = 'composing' | 'recording' | 'paused'

export type BotActivity =
  | { kind: 'read'; bot: string; chat: string; ids: string[] }
  | { kind: 'chatstate'; bot: string; chat: string; state: ChatState }
  | { kind: 'presence'; bot: string; state: 'available' | 'unavailable' }

type Filter = (a: BotActivity) => boolean

interface Waiter {
  filter: Filter
  resolve: (a: BotActivity) => void
  reject: (e: Error) => void
  timer: NodeJS.Timeout
}

export class ActivityInbox {
  /** Everything seen, oldest first. */
  readonly seen: BotActivity[] = []
  private readonly unread: BotActivity[] = []
  private readonly waiters: Waiter[] = []

  push(a: BotActivity): void {
    this.seen.push(a)
    if (this.seen.length > 500) this.seen.shift()
    const i = this.waiters.findIndex((w) => w.filter(a))
    if (i < 0) {
      this.unread.push(a)
      return
    }
    const [w] = this.waiters.splice(i, 1)
    clearTimeout(w!.timer)
    w!.resolve(a)
  }

  next(filter: Filter, timeoutMs: number, what: string): Promise<BotActivity> {
    const i = this.unread.findIndex(filter)
    if (i >= 0) return Promise.resolve(this.unread.splice(i, 1)[0]!)
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        filter,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.waiters.splice(this.waiters.indexOf(waiter), 1)
          const other = this.unread.map((a) => a.kind).join(', ')
          reject(new Error(`no ${what} from the bot within ${timeoutMs} ms${other ? ` (seen instead: ${other})` : ''}`))
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
}
