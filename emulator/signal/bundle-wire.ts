// Prekey bundles on the wire: the bot's upload (`encrypt` set) and the
// per-user entries of a prekey fetch reply (`encrypt` get).
import { getBinaryNodeChild } from '@whiskeysockets/baileys'
import type { BinaryNode } from '@whiskeysockets/baileys'
import { childBytes, childUInt, childrenOf, uintBytes } from './node-bytes.js'
import { toSignalPublicKey, toWirePublicKey } from './keys.js'
import type { PreKeyBundle } from './keys.js'

/** KEY_BUNDLE_TYPE: the one key type WhatsApp uses (Curve25519). */
const KEY_TYPE = Buffer.from([5])

export interface UploadedKeys {
  registrationId: number
  identityKey: Buffer
  signedPreKey: PreKeyBundle['signedPreKey']
  preKeys: { keyId: number; publicKey: Buffer }[]
}

/** Reads the bot's `<iq xmlns="encrypt" type="set">` prekey upload. */
export function parseKeyUpload(iq: BinaryNode): UploadedKeys {
  const registrationId = childUInt(iq, 'registration')
  const identity = childBytes(iq, 'identity')
  const skey = getBinaryNodeChild(iq, 'skey')
  const skeyId = childUInt(skey, 'id')
  const skeyValue = childBytes(skey, 'value')
  const skeySig = childBytes(skey, 'signature')
  if (registrationId === undefined || !identity || skeyId === undefined || !skeyValue || !skeySig) {
    throw new Error('prekey upload lacks registration, identity or signed prekey')
  }
  const preKeys = childrenOf(getBinaryNodeChild(iq, 'list'), 'key').map((key) => {
    const keyId = childUInt(key, 'id')
    const value = childBytes(key, 'value')
    if (keyId === undefined || !value) throw new Error('prekey upload has a key without id or value')
    return { keyId, publicKey: toSignalPublicKey(value) }
  })
  return {
    registrationId,
    identityKey: toSignalPublicKey(identity),
    signedPreKey: { keyId: skeyId, publicKey: toSignalPublicKey(skeyValue), signature: skeySig },
    preKeys,
  }
}

/** One `<user>` of a prekey fetch reply. */
export function bundleUserNode(jid: string, bundle: PreKeyBundle): BinaryNode {
  const content: BinaryNode[] = [
    { tag: 'registration', attrs: {}, content: uintBytes(bundle.registrationId, 4) },
    { tag: 'type', attrs: {}, content: KEY_TYPE },
    { tag: 'identity', attrs: {}, content: toWirePublicKey(bundle.identityKey) },
    {
      tag: 'skey',
      attrs: {},
      content: [
        { tag: 'id', attrs: {}, content: uintBytes(bundle.signedPreKey.keyId, 3) },
        { tag: 'value', attrs: {}, content: toWirePublicKey(bundle.signedPreKey.publicKey) },
        { tag: 'signature', attrs: {}, content: bundle.signedPreKey.signature },
      ],
    },
  ]
  if (bundle.preKey) {
    content.push({
      tag: 'key',
      attrs: {},
      content: [
        { tag: 'id', attrs: {}, content: uintBytes(bundle.preKey.keyId, 3) },
        { tag: 'value', attrs: {}, content: toWirePublicKey(bundle.preKey.publicKey) },
      ],
    })
  }
  return { tag: 'user', attrs: { jid }, content }
}
