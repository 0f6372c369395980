// Key material for a simulated Signal device. Public keys are kept in
// libsignal's 33-byte form (0x05 prefix); the wire carries them without it.
import { randomInt } from 'node:crypto'
import * as curve from 'libsignal/src/curve.js'

export interface KeyPair {
  pubKey: Buffer
  privKey: Buffer
}

export interface SignedPreKey {
  keyId: number
  keyPair: KeyPair
  signature: Buffer
}

export interface SignalIdentity {
  registrationId: number
  identityKey: KeyPair
  signedPreKey: SignedPreKey
  /** One-time prekeys not yet consumed by an incoming session. */
  preKeys: Map<number, KeyPair>
}

/** What a prekey fetch hands to a sender: public halves only, keys in either 32- or 33-byte form. */
export interface PreKeyBundle {
  registrationId: number
  identityKey: Buffer
  signedPreKey: { keyId: number; publicKey: Buffer; signature: Buffer }
  preKey?: { keyId: number; publicKey: Buffer }
}

const KEY_TYPE = 0x05

export function generateKeyPair(): KeyPair {
  const { pubKey, privKey } = curve.generateKeyPair()
  // libsignal checks `instanceof Buffer`, so normalise whatever it returned.
  return { pubKey: Buffer.from(pubKey), privKey: Buffer.from(privKey) }
}

export function toSignalPublicKey(key: Uint8Array): Buffer {
  if (key.length === 33 && key[0] === KEY_TYPE) return Buffer.from(key)
  if (key.length !== 32) throw new Error(`bad public key length ${key.length}`)
  return Buffer.concat([Buffer.from([KEY_TYPE]), key])
}

export function toWirePublicKey(key: Uint8Array): Buffer {
  return Buffer.from(key.length === 33 ? key.subarray(1) : key)
}

export interface IdentityOptions {
  preKeyCount?: number
  firstPreKeyId?: number
  /** Reuse an existing identity (e.g. the one the world gave the bot's phone). */
  identityKey?: KeyPair
  registrationId?: number
}

export function createSignalIdentity(opts: IdentityOptions = {}): SignalIdentity {
  const identityKey = opts.identityKey ?? generateKeyPair()
  const signed = generateKeyPair()
  const preKeys = new Map<number, KeyPair>()
  const first = opts.firstPreKeyId ?? 1
  for (let i = 0; i < (opts.preKeyCount ?? 8); i++) preKeys.set(first + i, generateKeyPair())
  return {
    // Registration ids are 14-bit on the wire; 0 is treated as "missing".
    registrationId: opts.registrationId ?? randomInt(1, 0x3fff),
    identityKey,
    signedPreKey: {
      keyId: 1,
      keyPair: signed,
      signature: Buffer.from(curve.calculateSignature(identityKey.privKey, signed.pubKey)),
    },
    preKeys,
  }
}
