// One simulated Signal device: pairwise sessions (pkmsg/msg) and sender keys
// (skmsg), over libsignal and Baileys' sender-key implementation — the same
// code the real client runs, so both ends agree byte for byte.
import { ProtocolAddress, SessionBuilder, SessionCipher } from 'libsignal'
import {
  GroupCipher,
  GroupSessionBuilder,
  SenderKeyDistributionMessage,
  SenderKeyName,
} from '@whiskeysockets/baileys/lib/Signal/Group/index.js'
import { PeerStore } from './peer-store.js'
import { createSignalIdentity, toSignalPublicKey } from './keys.js'
import type { PreKeyBundle, SignalIdentity } from './keys.js'

export type PairwiseType = 'pkmsg' | 'msg'

/** A remote device, named the way the emulator names it (no dots allowed by libsignal). */
export interface DeviceAddress {
  name: string
  device: number
}

type OutgoingBundle = Parameters<SessionBuilder['initOutgoing']>[0]

// libsignal's ciphertext type 3 is a PreKeyWhisperMessage.
const PREKEY_WHISPER_TYPE = 3

export class SignalPeer {
  readonly store: PeerStore
  /** Handed out in a fetch but possibly not used yet; each goes to one sender only. */
  private readonly servedPreKeys = new Set<number>()

  constructor(readonly identity: SignalIdentity = createSignalIdentity()) {
    this.store = new PeerStore(identity)
  }

  /** Our public bundle for a prekey fetch, with a one-time prekey nobody got before (while any last). */
  takeBundle(): PreKeyBundle {
    const { registrationId, identityKey, signedPreKey, preKeys } = this.identity
    const bundle: PreKeyBundle = {
      registrationId,
      identityKey: identityKey.pubKey,
      signedPreKey: { keyId: signedPreKey.keyId, publicKey: signedPreKey.keyPair.pubKey, signature: signedPreKey.signature },
    }
    for (const [keyId, pair] of preKeys) {
      if (this.servedPreKeys.has(keyId)) continue
      this.servedPreKeys.add(keyId)
      bundle.preKey = { keyId, publicKey: pair.pubKey }
      break
    }
    return bundle
  }

  hasSession(to: DeviceAddress): boolean {
    return this.store.hasSession(address(to).toString())
  }

  forgetSession(to: DeviceAddress): void {
    this.store.deleteSession(address(to).toString())
  }

  /** Start a session from a fetched bundle; the next encrypt is then a pkmsg. */
  async startSession(to: DeviceAddress, bundle: PreKeyBundle): Promise<void> {
    const device: Omit<OutgoingBundle, 'preKey'> & { preKey?: OutgoingBundle['preKey'] } = {
      registrationId: bundle.registrationId,
      identityKey: toSignalPublicKey(bundle.identityKey),
      signedPreKey: {
        keyId: bundle.signedPreKey.keyId,
        publicKey: toSignalPublicKey(bundle.signedPreKey.publicKey),
        signature: bundle.signedPreKey.signature,
      },
    }
    if (bundle.preKey) device.preKey = { keyId: bundle.preKey.keyId, publicKey: toSignalPublicKey(bundle.preKey.publicKey) }
    // libsignal takes a bundle without a one-time prekey (a drained server sends those); its typings say otherwise.
    await new SessionBuilder(this.store, address(to)).initOutgoing(device as OutgoingBundle)
  }

  async encrypt(to: DeviceAddress, plain: Uint8Array): Promise<{ type: PairwiseType; ciphertext: Buffer }> {
    const { type, body } = await new SessionCipher(this.store, address(to)).encrypt(Buffer.from(plain))
    return { type: type === PREKEY_WHISPER_TYPE ? 'pkmsg' : 'msg', ciphertext: Buffer.from(body, 'binary') }
  }

  async decrypt(from: DeviceAddress, type: PairwiseType, ciphertext: Uint8Array): Promise<Buffer> {
    const cipher = new SessionCipher(this.store, address(from))
    const data = Buffer.from(ciphertext)
    return Buffer.from(
      type === 'pkmsg' ? await cipher.decryptPreKeyWhisperMessage(data) : await cipher.decryptWhisperMessage(data),
    )
  }

  /** Our sender key for a group, created on first use; returns its distribution message. */
  async senderKeyDistribution(group: string, self: DeviceAddress): Promise<Buffer> {
    const skdm = await new GroupSessionBuilder(this.store).create(senderKeyName(group, self))
    return Buffer.from(skdm.serialize())
  }

  async groupEncrypt(group: string, self: DeviceAddress, plain: Uint8Array): Promise<Buffer> {
    return Buffer.from(await new GroupCipher(this.store, senderKeyName(group, self)).encrypt(plain))
  }

  async processSenderKeyDistribution(group: string, from: DeviceAddress, skdm: Uint8Array): Promise<void> {
    const message = new SenderKeyDistributionMessage(null, null, null, null, skdm)
    await new GroupSessionBuilder(this.store).process(senderKeyName(group, from), message)
  }

  hasSenderKey(group: string, from: DeviceAddress): boolean {
    return this.store.hasSenderKey(senderKeyName(group, from))
  }

  async groupDecrypt(group: string, from: DeviceAddress, ciphertext: Uint8Array): Promise<Buffer> {
    return Buffer.from(await new GroupCipher(this.store, senderKeyName(group, from)).decrypt(ciphertext))
  }
}

function address(a: DeviceAddress): ProtocolAddress {
  return new ProtocolAddress(a.name, a.device)
}

function senderKeyName(group: string, sender: DeviceAddress): SenderKeyName {
  return new SenderKeyName(group, address(sender))
}
