// Prekey bundles on the wire: the bot's upload (`encrypt` set) and the
// per-user entries of a prekey fetch reply (`encrypt` get).
import { getBinaryNodeChild } from '@whiskeysockets/baileys'
import type { BinaryNode } from '@whiskeysockets/baileys'
import { childBytes, childUInt, childrenOf, uintBytes } from './node-bytes.js'
import { toWirePublicKey } from './keys.js'
import type { PreKeyBundle } from './keys.js'

/** KEY_BUNDLE_TYPE: the one key type WhatsApp uses (Curve25519). */
const KEY_TYPE = Buffer.from([5])

/**
 * The bot's upload as the server keeps it: wire-form (32-byte) public keys,
 * one-time prekeys by id. Same shape as the core's `UploadedPreKeys`.
 */
export interface UploadedKeys {
  registrationId: number
  identityKey: Buffer
  signedPreKey: { keyId: number; publicKey: Buffer; signature: Buffer }
  preKeys: Map<number, Buffer>
}

/** Reads a `<iq xmlns="encrypt" type="set">` prekey upload (the server core keeps its own copy; this is for tests). */
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
  const preKeys = new Map<number, Buffer>()
  for (const key of childrenOf(getBinaryNodeChild(iq, 'list'), 'key')) {
    const keyId = childUInt(key, 'id')
    const value = childBytes(key, 'value')
    if (keyId === undefined || !value) throw new Error('prekey upload has a key without id or value')
    preKeys.set(keyId, toWirePublicKey(value))
  }
  return {
    registrationId,
    identityKey: toWirePublicKey(identity),
    signedPreKey: { keyId: skeyId, publicKey: toWirePublicKey(skeyValue), signature: skeySig },
    preKeys,
  }
}

/**
 * A bundle for someone about to write to the bot. Like the real server, each
 * one-time prekey goes to one sender only (it is removed here); when none are
 * left the bundle carries the signed prekey alone.
 */
export function takeUploadedBundle(uploaded: UploadedKeys): PreKeyBundle {
  const { registrationId, identityKey, signedPreKey } = uploaded
  const bundle: PreKeyBundle = { registrationId, identityKey, signedPreKey }
  const first = uploaded.preKeys.entries().next()
  if (!first.done) {
    const [keyId, publicKey] = first.value
    uploaded.preKeys.delete(keyId)
    bundle.preKey = { keyId, publicKey }
  }
  return bundle
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

/**
 * The bundle a retry receipt carries (`<registration>` and `<keys>`), which
 * the client sends from its second retry on; undefined when it carries none.
 */
export function retryReceiptBundle(receipt: BinaryNode): PreKeyBundle | undefined {
  const keys = getBinaryNodeChild(receipt, 'keys')
  const registrationId = childUInt(receipt, 'registration')
  const identity = childBytes(keys, 'identity')
  const skey = getBinaryNodeChild(keys, 'skey')
  const skeyId = childUInt(skey, 'id')
  const skeyValue = childBytes(skey, 'value')
  const skeySig = childBytes(skey, 'signature')
  if (registrationId === undefined || !identity || skeyId === undefined || !skeyValue || !skeySig) return undefined
  const bundle: PreKeyBundle = {
    registrationId,
    identityKey: toWirePublicKey(identity),
    signedPreKey: { keyId: skeyId, publicKey: toWirePublicKey(skeyValue), signature: skeySig },
  }
  const key = getBinaryNodeChild(keys, 'key')
  const keyId = childUInt(key, 'id')
  const keyValue = childBytes(key, 'value')
  if (keyId !== undefined && keyValue) bundle.preKey = { keyId, publicKey: toWirePublicKey(keyValue) }
  return bundle
}
