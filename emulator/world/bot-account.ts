// The account the bot is linked to: its phone (device 0, which signs the
// companion's identity at pairing) and the companion device the bot runs as.
import { newKeyPair, type KeyPair } from '../wire/key-pair.js'
import { lidJid, lidUserFor, pnJid } from './jids.js'

/** What the bot uploaded with `<iq xmlns="encrypt" type="set">`. */
export interface UploadedPreKeys {
  registrationId: number
  /** 32-byte identity public key (no 0x05 prefix). */
  identityKey: Buffer
  signedPreKey: { keyId: number; publicKey: Buffer; signature: Buffer }
  /** One-time prekeys by id; the Signal layer removes one when it hands it out. */
  preKeys: Map<number, Buffer>
}

export interface CompanionDevice {
  device: number
  /** The companion's Signal identity public key (creds.signedIdentityKey). */
  identityKey: Buffer
  /** The companion's noise static key; a login must present the same one. */
  noiseKey: Buffer
  advSecret: Buffer
  registrationId: number
  keyIndex: number
  platform: string
}

export class BotAccount {
  readonly lid: string
  readonly jid: string
  /** The primary phone's identity key: it signs companion identities (ADV). */
  readonly phoneIdentity: KeyPair = newKeyPair()
  readonly phoneRegistrationId = 1 + Math.floor(Math.random() * 16000)
  companion: CompanionDevice | undefined
  pushName = 'Bot'
  private nextDevice = 1
  private nextKeyIndex = 1

  constructor(readonly phone: string) {
    this.jid = pnJid(phone)
    this.lid = lidJid(lidUserFor(phone))
  }

  allocateDevice(): { device: number; keyIndex: number } {
    return { device: this.nextDevice++, keyIndex: this.nextKeyIndex++ }
  }

  /** `phone:device@s.whatsapp.net` of the bot's companion, once paired. */
  get deviceJid(): string | undefined {
    return this.companion ? pnJid(this.phone, this.companion.device) : undefined
  }

  get deviceLid(): string | undefined {
    return this.companion ? lidJid(this.lid.split('@')[0]!, this.companion.device) : undefined
  }
}
