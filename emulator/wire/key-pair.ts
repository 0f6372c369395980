// Curve25519 key pairs in the shape Baileys uses (32-byte public, no 0x05
// prefix), plus a deterministic constructor: the test root must be the same
// in every process so a preload can trust it without talking to the server.
import { createPrivateKey, createPublicKey, createHash } from 'node:crypto'
import { Curve } from '@whiskeysockets/baileys'

export interface KeyPair {
  public: Buffer
  private: Buffer
}

const PKCS8_X25519 = Buffer.from('302e020100300506032b656e04220420', 'hex')

export function keyPairFromPrivate(priv: Buffer): KeyPair {
  const key = createPrivateKey({ key: Buffer.concat([PKCS8_X25519, priv]), format: 'der', type: 'pkcs8' })
  const spki = createPublicKey(key).export({ format: 'der', type: 'spki' })
  return { private: Buffer.from(priv), public: Buffer.from(spki.subarray(spki.length - 32)) }
}

export function keyPairFromSeed(seed: string): KeyPair {
  const priv = createHash('sha256').update(seed).digest()
  // Clamp like every X25519 implementation does, so all agree on the scalar.
  priv[0]! &= 248
  priv[31]! &= 127
  priv[31]! |= 64
  return keyPairFromPrivate(priv)
}

/** A fresh random key pair, as Buffers (Baileys types them as Uint8Array). */
export function newKeyPair(): KeyPair {
  const kp = Curve.generateKeyPair()
  return { public: Buffer.from(kp.public), private: Buffer.from(kp.private) }
}
