// Knows when a bot has taken a message a contact sent: the client answers
// each one with a `<receipt>` (delivered), or with a retry receipt / a nack
// when it could not decrypt it. `say()` waits here, once per bot the message
// went to (`scope` names the bot; one message id may go to several).
import { getBinaryNodeChild, getBinaryNodeChildren } from '@whiskeysockets/baileys'
import type { BinaryNode } from '@whiskeysockets/baileys'

interface Pending {
  id: string
  resolve: () => void
  reject: (err: Error) => void
  timer: NodeJS.Timeout
}

export class DeliveryTracker {
  private readonly pending = new Map<string, Pending>()

  expect(id: string, timeoutMs: number, scope = ''): Promise<void> {
    const key = keyOf(scope, id)
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(key)
        reject(new Error(`bot${scope ? ` ${scope}` : ''} sent no receipt for message ${id} within ${timeoutMs} ms`))
      }, timeoutMs)
      this.pending.set(key, { id, resolve, reject, timer })
    })
  }

  /** Stops waiting for `id` (e.g. the message could not be sent at all). */
  cancel(id: string, err: Error, scope = ''): void {
    this.settle(keyOf(scope, id), err)
  }

  onReceipt(receipt: BinaryNode, scope = ''): void {
    // A retry receipt is the client saying it failed to decrypt and wants a resend; here, one too many.
    const err = receipt.attrs.type === 'retry' ? new Error(`bot could not decrypt the message (retry receipt)`) : undefined
    for (const id of receiptIds(receipt)) this.settle(keyOf(scope, id), err)
  }

  /** A nack (`<ack class="message" error>`) from the client for one of our messages. */
  onAck(ack: BinaryNode, scope = ''): void {
    const { id, error } = ack.attrs
    if (ack.attrs.class === 'message' && id && error) this.settle(keyOf(scope, id), new Error(`bot rejected the message with error ${error}`))
  }

  /** Whether someone still waits for `id`'s receipt. */
  waiting(id: string, scope = ''): boolean {
    return this.pending.has(keyOf(scope, id))
  }

  close(): void {
    for (const key of [...this.pending.keys()]) this.settle(key, new Error('emulator stopped'))
  }

  private settle(key: string, err: Error | undefined): void {
    const p = this.pending.get(key)
    if (!p) return
    this.pending.delete(key)
    clearTimeout(p.timer)
    if (err) p.reject(new Error(`message ${p.id}: ${err.message}`))
    else p.resolve()
  }
}

function keyOf(scope: string, id: string): string {
  return `${scope} ${id}`
}

/** The message ids a receipt acknowledges: its own, and a batch's `<list><item id>`. */
export function receiptIds(receipt: BinaryNode): string[] {
  const ids = [receipt.attrs.id, ...getBinaryNodeChildren(getBinaryNodeChild(receipt, 'list'), 'item').map((i) => i.attrs.id)]
  return ids.filter((id): id is string => Boolean(id))
}
