// Knows when the bot has taken a message a contact sent: the client answers
// each one with a `<receipt>` (delivered), or with a retry receipt / a nack
// when it could not decrypt it. `say()` waits here.
import { getBinaryNodeChild, getBinaryNodeChildren } from '@whiskeysockets/baileys'
import type { BinaryNode } from '@whiskeysockets/baileys'

interface Pending {
  resolve: () => void
  reject: (err: Error) => void
  timer: NodeJS.Timeout
}

export class DeliveryTracker {
  private readonly pending = new Map<string, Pending>()

  expect(id: string, timeoutMs: number): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id)
        reject(new Error(`bot sent no receipt for message ${id} within ${timeoutMs} ms`))
      }, timeoutMs)
      this.pending.set(id, { resolve, reject, timer })
    })
  }

  /** Stops waiting for `id` (e.g. the message could not be sent at all). */
  cancel(id: string, err: Error): void {
    this.settle(id, err)
  }

  onReceipt(receipt: BinaryNode): void {
    // A retry receipt is the client saying it failed to decrypt and wants a resend; here, one too many.
    const err = receipt.attrs.type === 'retry' ? new Error(`bot could not decrypt the message (retry receipt)`) : undefined
    for (const id of receiptIds(receipt)) this.settle(id, err)
  }

  /** A nack (`<ack class="message" error>`) from the client for one of our messages. */
  onAck(ack: BinaryNode): void {
    const { id, error } = ack.attrs
    if (ack.attrs.class === 'message' && id && error) this.settle(id, new Error(`bot rejected the message with error ${error}`))
  }

  /** Whether someone still waits for `id`'s receipt. */
  waiting(id: string): boolean {
    return this.pending.has(id)
  }

  close(): void {
    for (const id of [...this.pending.keys()]) this.settle(id, new Error('emulator stopped'))
  }

  private settle(id: string, err: Error | undefined): void {
    const p = this.pending.get(id)
    if (!p) return
    this.pending.delete(id)
    clearTimeout(p.timer)
    if (err) p.reject(new Error(`message ${id}: ${err.message}`))
    else p.resolve()
  }
}

/** The message ids a receipt acknowledges: its own, and a batch's `<list><item id>`. */
export function receiptIds(receipt: BinaryNode): string[] {
  const ids = [receipt.attrs.id, ...getBinaryNodeChildren(getBinaryNodeChild(receipt, 'list'), 'item').map((i) => i.attrs.id)]
  return ids.filter((id): id is string => Boolean(id))
}
