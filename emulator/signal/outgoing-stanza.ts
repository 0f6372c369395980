// Reading the bot's own `<message>` stanza: who each pairwise part is for,
// and the group part (skmsg) if any. Nothing here decrypts.
import { getBinaryNodeChild, getBinaryNodeChildren } from '@whiskeysockets/baileys'
import type { BinaryNode } from '@whiskeysockets/baileys'
import { contentBytes } from './node-bytes.js'
import type { PairwiseType } from './signal-peer.js'

export interface PairwisePart {
  /** Device jid the part is addressed to, as the client wrote it (PN or LID). */
  jid: string
  type: PairwiseType
  ciphertext: Buffer
}

export interface BotStanza {
  id: string
  to: string
  type: string | undefined
  parts: PairwisePart[]
  skmsg: Buffer | undefined
  hasDeviceIdentity: boolean
  /** The sender's signed device identity, which a bot reading its pkmsg may want. */
  deviceIdentity: Buffer | undefined
}

export function parseBotStanza(node: BinaryNode): BotStanza {
  const { id, to, type } = node.attrs
  if (!id || !to) throw new Error('bot message without id or to')
  const parts: PairwisePart[] = []
  for (const toNode of getBinaryNodeChildren(getBinaryNodeChild(node, 'participants'), 'to')) {
    const enc = getBinaryNodeChild(toNode, 'enc')
    const ciphertext = contentBytes(enc)
    const jid = toNode.attrs.jid
    const encType = enc?.attrs.type
    if (!jid || !ciphertext || (encType !== 'pkmsg' && encType !== 'msg')) continue
    parts.push({ jid, type: encType, ciphertext })
  }
  // A message to one device may also carry its enc directly (retries, peer messages).
  let skmsg: Buffer | undefined
  for (const enc of getBinaryNodeChildren(node, 'enc')) {
    const ciphertext = contentBytes(enc)
    if (!ciphertext) continue
    if (enc.attrs.type === 'skmsg') skmsg = ciphertext
    else if (enc.attrs.type === 'pkmsg' || enc.attrs.type === 'msg') parts.push({ jid: to, type: enc.attrs.type, ciphertext })
  }
  const deviceIdentity = contentBytes(getBinaryNodeChild(node, 'device-identity'))
  return { id, to, type, parts, skmsg, hasDeviceIdentity: deviceIdentity !== undefined, deviceIdentity }
}

/** The server's acknowledgement that it took the bot's message. */
export function messageAck(stanza: { id: string; to: string }, t: string): BinaryNode {
  return { tag: 'ack', attrs: { class: 'message', id: stanza.id, from: stanza.to, t } }
}
