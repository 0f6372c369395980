// Answers the prekey fetch `<iq xmlns="encrypt" type="get"><key><user jid/>…`
// with a bundle per device. The client fails the whole batch on a single
// `<error>`, so every device the usync answer listed must be served here:
// the asking bot's own phone, and other bots' phones and companions too.
import { getBinaryNodeChild } from '@whiskeysockets/baileys'
import type { BinaryNode } from '@whiskeysockets/baileys'
import { bundleUserNode, takeUploadedBundle } from './bundle-wire.js'
import { childrenOf } from './node-bytes.js'
import { deviceOwner } from './device-owner.js'
import type { WorldLike } from './signal-host.js'

export function answerKeyFetch(world: WorldLike, iq: BinaryNode): BinaryNode {
  const users: BinaryNode[] = []
  for (const user of childrenOf(getBinaryNodeChild(iq, 'key'), 'user')) {
    const jid = user.attrs.jid
    if (!jid) continue
    const owner = deviceOwner(world, jid)
    if (owner?.kind === 'companion') users.push(bundleUserNode(jid, takeUploadedBundle(owner.device.keys)))
    else if (owner?.kind === 'phone' || owner?.kind === 'contact') users.push(bundleUserNode(jid, owner.peer.takeBundle()))
    else users.push({ tag: 'user', attrs: { jid }, content: [{ tag: 'error', attrs: { code: '404', text: 'item-not-found' } }] })
  }
  return { tag: 'list', attrs: {}, content: users }
}
