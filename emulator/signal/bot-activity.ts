// What a bot does in a chat besides sending messages, as the contact's phone
// sees it: read receipts for the contact's messages (`readMessages`) and
// chat states (typing, recording, paused) and presence. Tests take them one
// at a time, like replies.
import { Inbox } from './inbox.js'

export type ChatState = 'composing' | 'recording' | 'paused'

export type BotActivity =
  | { kind: 'read'; bot: string; chat: string; ids: string[] }
  | { kind: 'chatstate'; bot: string; chat: string; state: ChatState }
  | { kind: 'presence'; bot: string; state: 'available' | 'unavailable' }

export class ActivityInbox extends Inbox<BotActivity> {
  /** Everything seen, oldest first. */
  readonly seen: BotActivity[] = []

  constructor() {
    super((what, timeoutMs, unread) => {
      const other = unread.map((a) => a.kind).join(', ')
      return `no ${what} from the bot within ${timeoutMs} ms${other ? ` (seen instead: ${other})` : ''}`
    })
  }

  push(a: BotActivity): void {
    this.seen.push(a)
    if (this.seen.length > 500) this.seen.shift()
    this.deliver(a)
  }
}
