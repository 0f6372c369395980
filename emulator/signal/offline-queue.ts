// Messages contacts sent while the bot was not connected. The server keeps
// them and pushes them when the bot next goes active, marked `offline`
// (the client then upserts them as 'append', not 'notify').
import type { BinaryNode } from '@whiskeysockets/baileys'

interface Queued {
  id: string
  stanza: BinaryNode
  /** The bot device it was encrypted for; a re-paired bot cannot read it. */
  device: string
}

export class OfflineQueue {
  private readonly queued: Queued[] = []

  add(id: string, stanza: BinaryNode, device: string): void {
    this.queued.push({ id, stanza: { ...stanza, attrs: { ...stanza.attrs, offline: '1' } }, device })
  }

  drop(id: string): void {
    const i = this.queued.findIndex((q) => q.id === id)
    if (i >= 0) this.queued.splice(i, 1)
  }

  get size(): number {
    return this.queued.length
  }

  /**
   * Pushes what was queued for `device`, oldest first. Returns how many went
   * out, and the ids of messages made for another device, now undeliverable.
   */
  flush(device: string | undefined, send: (n: BinaryNode) => boolean): { sent: number; stale: string[] } {
    let sent = 0
    const keep: Queued[] = []
    const stale: string[] = []
    for (const q of this.queued.splice(0)) {
      if (q.device !== device) stale.push(q.id)
      else if (send(q.stanza)) sent++
      else keep.push(q)
    }
    this.queued.push(...keep)
    return { sent, stale }
  }
}
