// Receipts the contacts' phones send back for what the bot sent, relayed by
// the server: delivered (no type) or read. The client turns them into
// `messages.update` (1:1) or `message-receipt.update` (groups).
import type { BinaryNode } from '@whiskeysockets/baileys'
import type { BotMessage } from './bot-message.js'
import { isGroupJid } from './jids.js'
import type { WorldLike } from './signal-host.js'

export type ReceiptMode = 'none' | 'delivered' | 'read'

export function contactReceipts(world: WorldLike, m: BotMessage, mode: ReceiptMode, t: string): BinaryNode[] {
  if (mode === 'none') return []
  const out: BinaryNode[] = []
  for (const pn of m.readBy) {
    const lid = world.contact(pn)?.lid
    if (!lid) continue
    const attrs: Record<string, string> = isGroupJid(m.chat) ? { from: m.chat, participant: lid } : { from: lid }
    attrs.id = m.id
    attrs.t = t
    if (mode === 'read') attrs.type = 'read'
    out.push({ tag: 'receipt', attrs })
  }
  return out
}
