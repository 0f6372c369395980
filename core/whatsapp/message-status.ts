import { areJidsSameUser, proto, toNumber, type MessageUserReceiptUpdate, type WAMessageUpdate } from '@whiskeysockets/baileys'
import type { MessageStatus } from './types.js'

type Step = MessageStatus['status']

const STEPS = new Map<number, Step>([
  [proto.WebMessageInfo.Status.SERVER_ACK, 'sent'],
  [proto.WebMessageInfo.Status.DELIVERY_ACK, 'delivered'],
  [proto.WebMessageInfo.Status.READ, 'read'],
  [proto.WebMessageInfo.Status.PLAYED, 'played'],
  [proto.WebMessageInfo.Status.ERROR, 'failed'],
])

const nowSeconds = (): number => Math.floor(Date.now() / 1000)

/**
 * A status from Baileys' `messages.update`: a 1:1 receipt (delivered, read,
 * played), our own devices' `sender` receipt (sent), or the server refusing
 * a message (failed). Undefined for updates of other kinds and for messages
 * the bot did not send. `chat` is as Baileys keyed it (a lid, often).
 */
export function statusOfUpdate({ key, update }: WAMessageUpdate): MessageStatus | undefined {
  if (!key.fromMe || !key.id || !key.remoteJid || typeof update.status !== 'number') return undefined
  const status = STEPS.get(update.status)
  if (!status) return undefined
  const at = update.messageTimestamp ? toNumber(update.messageTimestamp) : 0
  return { id: key.id, chat: key.remoteJid, status, timestamp: at || nowSeconds() }
}

/**
 * A group member's receipt from Baileys' `message-receipt.update`:
 * `receiptTimestamp` is delivered, `readTimestamp` read (a voice note played
 * in a group comes as read too). Our own devices' receipts are left out:
 * they are not a member getting the message. `recipient` is as Baileys keyed it.
 */
export function statusOfReceipt({ key, receipt }: MessageUserReceiptUpdate, me: { jid: string; lid?: string } | undefined): MessageStatus | undefined {
  const recipient = receipt.userJid
  if (!key.fromMe || !key.id || !key.remoteJid || !recipient) return undefined
  if (me && (areJidsSameUser(recipient, me.jid) || (me.lid !== undefined && areJidsSameUser(recipient, me.lid)))) return undefined
  const read = receipt.readTimestamp ? toNumber(receipt.readTimestamp) : undefined
  const delivered = receipt.receiptTimestamp ? toNumber(receipt.receiptTimestamp) : undefined
  if (read === undefined && delivered === undefined) return undefined
  const status: Step = read === undefined ? 'delivered' : 'read'
  return { id: key.id, chat: key.remoteJid, recipient, status, timestamp: (read ?? delivered) || nowSeconds() }
}

const ORDER: Record<Step, number> = { sent: 1, delivered: 2, read: 3, played: 4, failed: 5 }

/**
 * Lets each step of a message (of each group member's copy) through once,
 * and never one behind a later step: WhatsApp may report a step twice (the
 * server's ack and our own devices' receipt both say sent) or late.
 */
export class StatusSteps {
  private readonly reached = new Map<string, number>()

  constructor(private readonly remembered: number) {}

  advances(status: MessageStatus): boolean {
    const key = `${status.id}\n${status.recipient ?? ''}`
    const step = ORDER[status.status]
    const before = this.reached.get(key) ?? 0
    if (before >= step) return false
    // Deleted first, so that the message counts as the most recent one.
    this.reached.delete(key)
    this.reached.set(key, step)
    if (this.reached.size > this.remembered) {
      const oldest = this.reached.keys().next()
      if (!oldest.done) this.reached.delete(oldest.value)
    }
    return true
  }
}
