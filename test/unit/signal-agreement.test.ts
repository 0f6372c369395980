import assert from 'node:assert/strict'
import { createPrivateKey, createPublicKey, diffieHellman } from 'node:crypto'
import { createRequire } from 'node:module'
import { describe, it } from 'node:test'
import { Curve } from '@whiskeysockets/baileys'
import { libsignalImportsKeysAsJwk } from '../../core/whatsapp/baileys-patch.js'

// The DER forms libsignal used before the patch: the X25519 key wrapped in PKCS#8 and SPKI.
const PRIVATE_DER_PREFIX = Buffer.from('302e020100300506032b656e04220420', 'hex')
const PUBLIC_DER_PREFIX = Buffer.from('302a300506032b656e032100', 'hex')

function agreementFromDer(privateKey: Uint8Array, publicKey: Uint8Array): Buffer {
  return diffieHellman({
    privateKey: createPrivateKey({ key: Buffer.concat([PRIVATE_DER_PREFIX, privateKey]), format: 'der', type: 'pkcs8' }),
    publicKey: createPublicKey({ key: Buffer.concat([PUBLIC_DER_PREFIX, publicKey]), format: 'der', type: 'spki' }),
  })
}

// Every ratchet step of a Signal session makes two X25519 agreements (Curve.sharedKey, libsignal's calculateAgreement).
describe('Signal key agreement (patched libsignal)', () => {
  it('imports the keys as JWK on this Node', () => {
    assert.equal(libsignalImportsKeysAsJwk(), true)
    const require = createRequire(createRequire(import.meta.url).resolve('@whiskeysockets/baileys/package.json'))
    const curve = require('libsignal/src/curve.js') as { importsKeysAsJwk?: boolean }
    assert.equal(curve.importsKeysAsJwk, true, 'the JWK import gave another agreement than the DER import, so libsignal fell back to DER')
  })

  it('makes key pairs whose public half is the one their private half gives', () => {
    for (let i = 0; i < 20; i++) {
      const pair = Curve.generateKeyPair()
      const derived = createPublicKey(createPrivateKey({ key: Buffer.concat([PRIVATE_DER_PREFIX, pair.private]), format: 'der', type: 'pkcs8' }))
      assert.deepEqual(Buffer.from(pair.public), derived.export({ format: 'der', type: 'spki' }).subarray(PUBLIC_DER_PREFIX.length))
    }
  })

  it('agrees with the agreement made from the DER keys, both ways round', () => {
    for (let i = 0; i < 50; i++) {
      const ours = Curve.generateKeyPair()
      const theirs = Curve.generateKeyPair()
      const shared = Curve.sharedKey(ours.private, theirs.public)
      assert.equal(shared.length, 32)
      assert.deepEqual(shared, agreementFromDer(ours.private, theirs.public))
      assert.deepEqual(Curve.sharedKey(theirs.private, ours.public), shared)
    }
  })

  it('still refuses a key of the wrong length', () => {
    const theirs = Curve.generateKeyPair()
    assert.throws(() => Curve.sharedKey(Buffer.alloc(31, 1), theirs.public), /Incorrect private key length/)
    assert.throws(() => Curve.sharedKey(Curve.generateKeyPair().private, Buffer.alloc(20, 1)), /Invalid public key/)
  })
})
