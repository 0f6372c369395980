// The certificate chain the server proves its static key with:
// test root -> intermediate -> leaf (the server's noise static key).
// The root is derived from a fixed seed so any process can trust it up front
// (see trust.ts); the real WhatsApp root is never used by the emulator.
import { Curve, proto } from '@whiskeysockets/baileys'
import { keyPairFromSeed, newKeyPair, type KeyPair } from './key-pair.js'

/** Fixed, public, test-only. Never trust this outside tests and the sandbox. */
export const TEST_ROOT: KeyPair = keyPairFromSeed('waplug-emulator-test-root-v1')

const INTERMEDIATE_SERIAL = 7
// Baileys compares the intermediate's issuerSerial with its root serial (0).
const ROOT_SERIAL = 0

function signedCert(details: proto.CertChain.NoiseCertificate.IDetails, signer: KeyPair): proto.CertChain.INoiseCertificate {
  const bytes = proto.CertChain.NoiseCertificate.Details.encode(details).finish()
  return { details: bytes, signature: Buffer.from(Curve.sign(signer.private, bytes)) }
}

export function makeCertChain(serverStaticPublic: Buffer, root: KeyPair = TEST_ROOT): Uint8Array {
  const intermediate = newKeyPair()
  const now = Math.floor(Date.now() / 1000)
  const year = 365 * 24 * 3600
  const chain: proto.ICertChain = {
    // issuerSerial set explicitly: an omitted field decodes as null, not 0.
    intermediate: signedCert(
      { serial: INTERMEDIATE_SERIAL, issuerSerial: ROOT_SERIAL, key: intermediate.public, notBefore: now - 60, notAfter: now + year },
      root,
    ),
    leaf: signedCert(
      { serial: INTERMEDIATE_SERIAL + 1, issuerSerial: INTERMEDIATE_SERIAL, key: serverStaticPublic, notBefore: now - 60, notAfter: now + 30 * 24 * 3600 },
      intermediate,
    ),
  }
  return proto.CertChain.encode(chain).finish()
}
