// Baileys rc14's Curve.verify, as published, treats a false result as
// success; waplug's patch makes it return libsignal's answer. These check the
// emulator's signatures with libsignal's verify itself, and that the patched
// Curve.verify and its callers (the Noise handshake is in wire.test.ts, the
// account signature at pairing here) refuse a wrong signature.
import assert from 'node:assert/strict'
import { createHmac } from 'node:crypto'
import { createRequire } from 'node:module'
import { test } from 'node:test'
import { configureSuccessfulPairing, Curve, proto, type BinaryNode } from '@whiskeysockets/baileys'
import { baileysChecksSignatures } from '../../core/whatsapp/baileys-patch.js'
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

void test('Curve.verify returns false for a tampered signature, another key or another message', () => {
  const signer = newKeyPair()
  const message = Buffer.from('the details a certificate signs')
  const signature = Buffer.from(Curve.sign(signer.private, message))
  assert.equal(Curve.verify(signer.public, message, signature), true)
  const tampered = Buffer.from(signature)
  tampered[10]! ^= 1
  assert.equal(Curve.verify(signer.public, message, tampered), false)
  assert.equal(Curve.verify(newKeyPair().public, message, signature), false)
  assert.equal(Curve.verify(signer.public, Buffer.from('other details'), signature), false)
  assert.equal(Curve.verify(signer.public, message, signature.subarray(0, 63)), false)
  assert.equal(baileysChecksSignatures(), true, 'what the runtime checks at start')
})

/** The pair-success stanza the emulator sends, around a device identity. */
function pairSuccess(deviceIdentity: Buffer): BinaryNode {
  return {
    tag: 'iq',
    attrs: { id: 'pair-1', type: 'set', from: 's.whatsapp.net' },
    content: [
      {
        tag: 'pair-success',
        attrs: {},
        content: [
          { tag: 'device-identity', attrs: {}, content: deviceIdentity },
          { tag: 'platform', attrs: { name: 'android' } },
          { tag: 'device', attrs: { jid: '15550100001:3@s.whatsapp.net', lid: '99990000001:3@lid' } },
        ],
      },
    ],
  }
}

void test('pairing: Baileys accepts the emulator\'s account signature and refuses one by another key', () => {
  const phone = newKeyPair()
  const companion = newKeyPair()
  const advSecret = Buffer.alloc(32, 9)
  const creds = { advSecretKey: advSecret.toString('base64'), signedIdentityKey: companion, signalIdentities: [] }
  const good = signedDeviceIdentity({ phoneIdentity: phone, companionIdentity: companion.public, advSecret, keyIndex: 1, now: 1700000000 })
  const { creds: paired } = configureSuccessfulPairing(pairSuccess(good), creds)
  assert.equal(paired.me?.id, '15550100001:3@s.whatsapp.net')

  // Signed for another companion's key: the HMAC is right, the account signature is not.
  const other = signedDeviceIdentity({ phoneIdentity: phone, companionIdentity: newKeyPair().public, advSecret, keyIndex: 1, now: 1700000000 })
  assert.throws(() => configureSuccessfulPairing(pairSuccess(other), creds), /Failed to verify account signature/)
})
