// The few jid facts the Signal side needs: whose device a jid names, and the
// libsignal address the emulator keeps that device's sessions under.
import { jidDecode } from '@whiskeysockets/baileys'
import type { DeviceAddress } from './signal-peer.js'

export interface DeviceJid {
  user: string
  server: string
  device: number
}

export function parseDeviceJid(jid: string): DeviceJid | undefined {
  const d = jidDecode(jid)
  if (!d?.user) return undefined
  return { user: d.user, server: d.server, device: d.device ?? 0 }
}

/** Device jid in the form the client writes it: no `:0` for the primary device. */
export function deviceJid(user: string, server: string, device: number): string {
  return device === 0 ? `${user}@${server}` : `${user}:${device}@${server}`
}

/** libsignal forbids dots in address names, so jids are reduced to their user part. */
export function deviceAddress(user: string, device: number): DeviceAddress {
  return { name: user, device }
}

export function isGroupJid(jid: string): boolean {
  return jid.endsWith('@g.us')
}
