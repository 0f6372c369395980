// Linking a new companion: the server hands out QR refs; the phone (QR scan
// or pairing code) endorses the companion; pair-success goes out; the
// client counter-signs; the server asks for a restart (stream error 515) and
// the client logs in on a fresh socket.
import { randomBytes } from 'node:crypto'
import type { proto } from '@whiskeysockets/baileys'
import type { EmulatorHost } from '../server/host.js'
import type { BotSession } from '../server/session.js'
import { child, node } from '../wire/binary-node.js'
import { lidJid, pnJid } from '../world/jids.js'
import { signedDeviceIdentity, verifyDeviceSignature } from './adv-identity.js'

export const DEFAULT_BOT_PHONE = '15550100001'
const QR_REFS = 6

export interface PendingRegistration {
  session: BotSession
  refs: string[]
  /** The companion's Signal identity key, from devicePairingData.eIdent. */
  identityKey: Buffer
  registrationId: number
  platform: string
}

export class Pairing {
  private readonly pending = new Map<BotSession, PendingRegistration>()

  constructor(private readonly host: EmulatorHost) {}

  begin(session: BotSession, payload: proto.ClientPayload): void {
    const d = payload.devicePairingData
    if (!d?.eIdent || !d.eRegid) {
      session.send(node('failure', { reason: '400' }))
      session.close()
      return
    }
    session.state = 'pairing'
    const reg: PendingRegistration = {
      session,
      refs: Array.from({ length: QR_REFS }, () => `2@${randomBytes(24).toString('base64')}`),
      identityKey: Buffer.from(d.eIdent),
      registrationId: Buffer.from(d.eRegid).readUIntBE(0, d.eRegid.length),
      platform: 'android',
    }
    this.pending.set(session, reg)
    session.onClose(() => this.pending.delete(session))
    session.send(
      node('iq', { from: 's.whatsapp.net', type: 'set', xmlns: 'md', id: session.nextId() }, [
        node('pair-device', {}, reg.refs.map((r) => node('ref', {}, Buffer.from(r)))),
      ]),
    )
  }

  /** The registration whose QR carried this ref, or the newest one. */
  find(ref?: string): PendingRegistration | undefined {
    const all = [...this.pending.values()].filter((p) => p.session.isOpen)
    if (ref !== undefined) return all.find((p) => p.refs.includes(ref))
    return all[all.length - 1]
  }

  forSession(session: BotSession): PendingRegistration | undefined {
    return this.pending.get(session)
  }

  /** The phone endorses the companion; resolves once the client counter-signed and 515 went out. */
  async complete(reg: PendingRegistration, phone: string, advSecret: Buffer, companionIdentity: Buffer): Promise<void> {
    const { world } = this.host
    const bot = world.ensureBot(phone)
    const { device, keyIndex } = bot.allocateDevice()
    const now = this.host.now()
    const identity = signedDeviceIdentity({ phoneIdentity: bot.phoneIdentity, companionIdentity, advSecret, keyIndex, now })
    const lidUser = bot.lid.split('@')[0]!
    const session = reg.session
    const reply = await session.query(
      node('iq', { from: 's.whatsapp.net', type: 'set', xmlns: 'md', id: session.nextId(), t: String(now) }, [
        node('pair-success', {}, [
          node('device-identity', {}, identity),
          node('platform', { name: reg.platform }),
          node('device', { jid: pnJid(phone, device), lid: lidJid(lidUser, device) }),
        ]),
      ]),
    )
    const signed = child(child(reply, 'pair-device-sign'), 'device-identity')
    const signedBytes = signed?.content
    if (reply.attrs.type !== 'result' || !(signedBytes instanceof Uint8Array)) {
      throw new Error(`pairing: client refused pair-success (${reply.attrs.type})`)
    }
    if (!verifyDeviceSignature(signedBytes, companionIdentity, bot.phoneIdentity.public)) {
      throw new Error('pairing: companion device signature does not verify')
    }
    bot.companion = {
      device,
      identityKey: companionIdentity,
      noiseKey: session.clientStatic ?? Buffer.alloc(0),
      advSecret,
      registrationId: reg.registrationId,
      keyIndex,
      platform: reg.platform,
    }
    this.pending.delete(session)
    this.host.log(`paired ${pnJid(phone, device)}`)
    // The real server restarts the stream so the client logs in as registered.
    session.streamError([], { code: '515' })
  }
}
