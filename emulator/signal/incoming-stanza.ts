// The `<message>` stanza the server relays to the bot when a contact writes:
// LID-addressed, with the phone number beside it, as WhatsApp does today.
import type { BinaryNode } from '@whiskeysockets/baileys'

export interface EncPart {
  type: 'pkmsg' | 'msg' | 'skmsg'
  ciphertext: Uint8Array
}

export interface SenderInfo {
  lid: string
  pn: string
  pushName: string
}

interface Common {
  id: string
  t: string
  sender: SenderInfo
  /** Stanza `type`: "text" for text, "media" for media, "reaction", … */
  type?: string
}

function encNodes(parts: EncPart[]): BinaryNode[] {
  return parts.map((p) => ({ tag: 'enc', attrs: { v: '2', type: p.type }, content: p.ciphertext }))
}

export function directMessageStanza(m: Common & { enc: EncPart }): BinaryNode {
  return {
    tag: 'message',
    attrs: {
      from: m.sender.lid,
      sender_pn: m.sender.pn,
      addressing_mode: 'lid',
      id: m.id,
      t: m.t,
      type: m.type ?? 'text',
      notify: m.sender.pushName,
    },
    content: encNodes([m.enc]),
  }
}

/** `encs` in order: the pairwise part carrying the sender key first, then the skmsg. */
export function groupMessageStanza(m: Common & { group: string; encs: EncPart[] }): BinaryNode {
  return {
    tag: 'message',
    attrs: {
      from: m.group,
      participant: m.sender.lid,
      participant_pn: m.sender.pn,
      addressing_mode: 'lid',
      id: m.id,
      t: m.t,
      type: m.type ?? 'text',
      notify: m.sender.pushName,
    },
    content: encNodes(m.encs),
  }
}
