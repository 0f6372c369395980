// In-memory storage behind libsignal's ciphers for one simulated device.
// Records are kept serialised so a cipher that throws half-way cannot leave
// a mutated session behind (libsignal mutates the record it loaded).
import { SessionRecord } from 'libsignal'
import { SenderKeyRecord } from '@whiskeysockets/baileys/lib/Signal/Group/index.js'
import type { SenderKeyName } from '@whiskeysockets/baileys/lib/Signal/Group/index.js'
import type { KeyPair, SignalIdentity } from './keys.js'

type SerializedSession = ReturnType<SessionRecord['serialize']>

export class PeerStore {
  private readonly sessions = new Map<string, SerializedSession>()
  private readonly senderKeys = new Map<string, Buffer>()

  constructor(readonly identity: SignalIdentity) {}

  // libsignal storage interface

  loadSession(id: string): Promise<SessionRecord | undefined> {
    const data = this.sessions.get(id)
    return Promise.resolve(data === undefined ? undefined : SessionRecord.deserialize(data))
  }

  storeSession(id: string, record: SessionRecord): Promise<void> {
    this.sessions.set(id, record.serialize())
    return Promise.resolve()
  }

  /** Trust on first use, as WhatsApp clients do; identity changes are the server's business. */
  isTrustedIdentity(): boolean {
    return true
  }

  loadPreKey(id: number | string): Promise<KeyPair | undefined> {
    return Promise.resolve(this.identity.preKeys.get(Number(id)))
  }

  removePreKey(id: number): void {
    this.identity.preKeys.delete(id)
  }

  loadSignedPreKey(): KeyPair {
    return this.identity.signedPreKey.keyPair
  }

  getOurRegistrationId(): number {
    return this.identity.registrationId
  }

  getOurIdentity(): KeyPair {
    return this.identity.identityKey
  }

  // sender keys (group messages)

  loadSenderKey(name: SenderKeyName): Promise<SenderKeyRecord> {
    const data = this.senderKeys.get(name.toString())
    return Promise.resolve(data === undefined ? new SenderKeyRecord() : SenderKeyRecord.deserialize(data))
  }

  storeSenderKey(name: SenderKeyName, record: SenderKeyRecord): Promise<void> {
    this.senderKeys.set(name.toString(), Buffer.from(JSON.stringify(record.serialize())))
    return Promise.resolve()
  }

  hasSenderKey(name: SenderKeyName): boolean {
    return this.senderKeys.has(name.toString())
  }

  // housekeeping

  hasSession(id: string): boolean {
    return this.sessions.has(id)
  }

  deleteSession(id: string): void {
    this.sessions.delete(id)
  }
}
