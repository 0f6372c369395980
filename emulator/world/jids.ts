// Jid shapes the emulator deals in. Phone numbers are kept as bare digits;
// LIDs are derived from the phone so the same world gives the same LIDs in
// every run (handy when a sandbox keeps its auth between restarts).
import { createHash } from 'node:crypto'

export const SERVER = 's.whatsapp.net'

export function digits(phoneOrJid: string): string {
  const user = phoneOrJid.split('@')[0] ?? ''
  return (user.split(':')[0] ?? '').replace(/\D/g, '')
}

export function pnJid(phone: string, device?: number): string {
  return device ? `${phone}:${device}@${SERVER}` : `${phone}@${SERVER}`
}

export function lidJid(lidUser: string, device?: number): string {
  return device ? `${lidUser}:${device}@lid` : `${lidUser}@lid`
}

export function isLid(jid: string): boolean {
  return jid.endsWith('@lid')
}

export function isGroup(jid: string): boolean {
  return jid.endsWith('@g.us')
}

/** A 15-digit LID user part derived from the phone number. */
export function lidUserFor(phone: string): string {
  const h = createHash('sha256').update(`lid:${phone}`).digest()
  const n = (h.readBigUInt64BE(0) % 900000000000000n) + 100000000000000n
  return n.toString()
}
