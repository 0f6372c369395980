// The phone's endorsement of a new companion: an ADV device identity signed
// with the account (phone) identity key and MACed with the companion's ADV
// secret, exactly what the client checks in configureSuccessfulPairing.
import { createHmac, randomInt } from 'node:crypto'
import { Curve, proto } from '@whiskeysockets/baileys'
import type { KeyPair } from '../wire/key-pair.js'

const ACCOUNT_SIG_PREFIX = Buffer.from([6, 0])
const DEVICE_SIG_PREFIX = Buffer.from([6, 1])

export function signedDeviceIdentity(opts: {
  phoneIdentity: KeyPair
  companionIdentity: Buffer
  advSecret: Buffer
  keyIndex: number
  now: number
}): Buffer {
  const details = proto.ADVDeviceIdentity.encode({ rawId: randomInt(1, 2 ** 31), timestamp: opts.now, keyIndex: opts.keyIndex }).finish()
  const accountSignature = Curve.sign(opts.phoneIdentity.private, Buffer.concat([ACCOUNT_SIG_PREFIX, details, opts.companionIdentity]))
  const signed = proto.ADVSignedDeviceIdentity.encode({
    details,
    accountSignatureKey: opts.phoneIdentity.public,
    accountSignature,
  }).finish()
  const hmac = createHmac('sha256', opts.advSecret).update(signed).digest()
  return Buffer.from(proto.ADVSignedDeviceIdentityHMAC.encode({ details: signed, hmac }).finish())
}

/** Checks the companion's counter-signature in its pair-device-sign reply. */
export function verifyDeviceSignature(signedBytes: Uint8Array, companionIdentity: Buffer, phoneIdentityPublic: Buffer): boolean {
  const id = proto.ADVSignedDeviceIdentity.decode(signedBytes)
  if (!id.details || !id.deviceSignature) return false
  const msg = Buffer.concat([DEVICE_SIG_PREFIX, id.details, companionIdentity, phoneIdentityPublic])
  return Curve.verify(companionIdentity, msg, id.deviceSignature)
}
