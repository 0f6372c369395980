// Messages contacts sent that the bot has not acknowledged yet. The server
// keeps each one until the bot's delivery receipt: one sent while the bot was
// away, and one pushed on a connection that closed before the receipt came
// (the client may have crashed before acknowledging it). On the next
// connection they are pushed again, marked `offline` (the client then
// upserts them as 'append', not 'notify').
import type { BinaryNode } from '@whiskeysockets/baileys'

interface Queued {
  id: string
  stanza: BinaryNode
  /** The bot device it was encrypted for; a re-paired bot cannot read it. */
  device: string
  /** The connection it was last pushed on, if any. */
  pushedOn: number | undefined
}

export class OfflineQueue {
  private readonly queued: Queued[] = []

  /** Keeps `stanza` until drop(id); `pushedOn` is the connection it just went out on, if it did. */
  add(id: string, stanza: BinaryNode, device: string, pushedOn?: number): void {
    const entry = { id, stanza: { ...stanza, attrs: { ...stanza.attrs, offline: '1' } }, device, pushedOn }
    // A message encrypted again (after a retry receipt) replaces its earlier form, keeping its place.
    const i = this.queued.findIndex((q) => q.id === id)
    if (i >= 0) this.queued[i] = entry
    else this.queued.push(entry)
  }

  /** The bot acknowledged it, or it failed for good. */
  drop(id: string): void {
    const i = this.queued.findIndex((q) => q.id === id)
    if (i >= 0) this.queued.splice(i, 1)
  }

  get size(): number {
    return this.queued.length
  }

  /**
   * Pushes, oldest first, what waits for `device` and did not already go out
   * on `connection`. Returns the ids that went out, and those of messages
   * made for another device, now undeliverable (they leave the queue).
   */
  flush(device: string | undefined, connection: number | undefined, send: (n: BinaryNode) => boolean): { sent: string[]; stale: string[] } {
    const sent: string[] = []
    const keep: Queued[] = []
    const stale: string[] = []
    for (const q of this.queued.splice(0)) {
      if (q.device !== device) {
        stale.push(q.id)
        continue
      }
      keep.push(q)
      if (connection !== undefined && q.pushedOn === connection) continue
      if (send(q.stanza)) {
        q.pushedOn = connection
        sent.push(q.id)
      }
    }
    this.queued.push(...keep)
    return { sent, stale }
  }
}
