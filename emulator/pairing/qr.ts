// "Scanning" the QR the client shows: the QR carries everything the phone
// needs (ref, companion noise key, identity key, ADV secret, platform).
import type { Pairing } from './pairing.js'
import { DEFAULT_BOT_PHONE } from './pairing.js'
import { digits } from '../world/jids.js'

export interface ParsedQr {
  ref: string
  noiseKey: Buffer
  identityKey: Buffer
  advSecret: Buffer
  platform: string
}

export function parseQr(qr: string): ParsedQr {
  const data = qr.includes('#') ? qr.slice(qr.indexOf('#') + 1) : qr
  const [ref, noise, identity, adv, platform] = data.split(',')
  if (!ref || !noise || !identity || !adv) throw new Error(`not a pairing QR: ${qr.slice(0, 60)}`)
  return {
    ref,
    noiseKey: Buffer.from(noise, 'base64'),
    identityKey: Buffer.from(identity, 'base64'),
    advSecret: Buffer.from(adv, 'base64'),
    platform: platform ?? '',
  }
}

export async function scanQr(pairing: Pairing, qr: string, phone?: string): Promise<void> {
  const parsed = parseQr(qr)
  const reg = pairing.find(parsed.ref)
  if (!reg) throw new Error('scanQr: no connected client is showing this QR (expired or already used)')
  if (!reg.identityKey.equals(parsed.identityKey)) throw new Error('scanQr: QR identity key does not match the registering client')
  await pairing.complete(reg, digits(phone ?? DEFAULT_BOT_PHONE), parsed.advSecret, parsed.identityKey)
}
