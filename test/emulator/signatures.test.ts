// Baileys rc14's Curve.verify treats a false result as success, so the
// integration tests alone would not notice a bad signature. These check
// the emulator's signatures with libsignal's verify, which returns false.
import assert from 'node:assert/strict'
import { createHmac } from 'node:crypto'
import { createRequire } from 'node:module'
import { test } from 'node:test'
import { proto } from '@whiskeysockets/baileys'
import { signedDeviceIdentity } from '../../emulator/pairing/adv-identity.js'
import { makeCertChain, TEST_ROOT } from '../../emulator/wire/certificates.js'
import { newKeyPair } from '../../emulator/wire/key-pair.js'

const require = createRequire(import.meta.url)
const curve = require('libsignal/src/curve.js') as { verifySignature(pub: Buffer, msg: Uint8Array, sig: Uint8Array): boolean }
const verify = (pub: Uint8Array, msg: Uint8Array, sig: Uint8Array): boolean =>
  curve.verifySignature(Buffer.concat([Buffer.from([5]), pub]), msg, sig)

void test('certificate chain: root signs intermediate, intermediate signs leaf (our static key)', () => {
  const server = newKeyPair()
  const chain = proto.CertChain.decode(makeCertChain(server.public))
  const inter = proto.CertChain.NoiseCertificate.Details.decode(chain.intermediate!.details!)
  const leaf = proto.CertChain.NoiseCertificate.Details.decode(chain.leaf!.details!)
  assert.equal(inter.issuerSerial, 0)
  assert.ok(verify(TEST_ROOT.public, chain.intermediate!.details!, chain.intermediate!.signature!))
  assert.ok(verify(inter.key!, chain.leaf!.details!, chain.leaf!.signature!))
  assert.deepEqual(Buffer.from(leaf.key!), server.public)
  const tampered = Buffer.from(chain.leaf!.signature!)
  tampered[0]! ^= 1
  assert.equal(verify(inter.key!, chain.leaf!.details!, tampered), false)
})

void test('ADV device identity: account signature and HMAC are valid', () => {
  const phone = newKeyPair()
  const companion = newKeyPair()
  const advSecret = Buffer.alloc(32, 7)
  const bytes = signedDeviceIdentity({ phoneIdentity: phone, companionIdentity: companion.public, advSecret, keyIndex: 3, now: 1700000000 })
  const hmac = proto.ADVSignedDeviceIdentityHMAC.decode(bytes)
  assert.deepEqual(Buffer.from(hmac.hmac!), createHmac('sha256', advSecret).update(hmac.details!).digest())
  const signed = proto.ADVSignedDeviceIdentity.decode(hmac.details!)
  const msg = Buffer.concat([Buffer.from([6, 0]), signed.details!, companion.public])
  assert.ok(verify(signed.accountSignatureKey!, msg, signed.accountSignature!))
  assert.equal(proto.ADVDeviceIdentity.decode(signed.details!).keyIndex, 3)
})
