// The bot device's public keys as it uploaded them at login. Senders take a
// bundle each; a one-time prekey goes to one sender only, like the real
// server, and bundles fall back to the signed prekey alone when none are left.
import type { PreKeyBundle } from './keys.js'
import type { UploadedKeys } from './bundle-wire.js'

export class BotKeys {
  private readonly unused: UploadedKeys['preKeys']

  constructor(readonly uploaded: UploadedKeys) {
    this.unused = [...uploaded.preKeys]
  }

  get identityKey(): Buffer {
    return this.uploaded.identityKey
  }

  get remainingPreKeys(): number {
    return this.unused.length
  }

  /** A later upload (top-up) adds keys; a changed identity means a new device, handled by the caller. */
  add(more: UploadedKeys): void {
    const known = new Set(this.unused.map((k) => k.keyId))
    for (const k of more.preKeys) if (!known.has(k.keyId)) this.unused.push(k)
  }

  take(): PreKeyBundle {
    const { registrationId, identityKey, signedPreKey } = this.uploaded
    const preKey = this.unused.shift()
    return preKey ? { registrationId, identityKey, signedPreKey, preKey } : { registrationId, identityKey, signedPreKey }
  }
}
