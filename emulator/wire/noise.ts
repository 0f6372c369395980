// Noise XX, responder side, as the WhatsApp web client expects it:
// AES-256-GCM with a 12-byte IV (8 zero bytes + 32-bit BE counter), SHA-256,
// the handshake hash as AAD during the handshake and empty AAD afterwards.
import { createCipheriv, createDecipheriv, createHash, hkdfSync } from 'node:crypto'
import { Curve, proto } from '@whiskeysockets/baileys'
import { newKeyPair, type KeyPair } from './key-pair.js'

const NOISE_MODE = Buffer.from('Noise_XX_25519_AESGCM_SHA256\0\0\0\0')
const TAG_LEN = 16

function iv(counter: number): Buffer {
  const out = Buffer.alloc(12)
  out.writeUInt32BE(counter >>> 0, 8)
  return out
}

export function gcmEncrypt(key: Buffer, counter: number, plain: Uint8Array, aad: Uint8Array): Buffer {
  const c = createCipheriv('aes-256-gcm', key, iv(counter))
  c.setAAD(aad)
  return Buffer.concat([c.update(plain), c.final(), c.getAuthTag()])
}

export function gcmDecrypt(key: Buffer, counter: number, sealed: Uint8Array, aad: Uint8Array): Buffer {
  const d = createDecipheriv('aes-256-gcm', key, iv(counter))
  d.setAAD(aad)
  d.setAuthTag(sealed.subarray(sealed.length - TAG_LEN))
  return Buffer.concat([d.update(sealed.subarray(0, sealed.length - TAG_LEN)), d.final()])
}

function hkdf64(ikm: Uint8Array, salt: Uint8Array): [Buffer, Buffer] {
  const out = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.alloc(0), 64))
  return [out.subarray(0, 32), out.subarray(32)]
}

/** After the handshake: one key and counter per direction, no AAD. */
export class TransportCipher {
  private readCounter = 0
  private writeCounter = 0
  constructor(
    private readonly encKey: Buffer,
    private readonly decKey: Buffer,
  ) {}

  encrypt(plain: Uint8Array): Buffer {
    return gcmEncrypt(this.encKey, this.writeCounter++, plain, Buffer.alloc(0))
  }

  decrypt(sealed: Uint8Array): Buffer {
    return gcmDecrypt(this.decKey, this.readCounter++, sealed, Buffer.alloc(0))
  }
}

export interface HandshakeResult {
  transport: TransportCipher
  /** The client's long-lived noise public key (creds.noiseKey), learned from clientFinish. */
  clientStatic: Buffer
  clientPayload: proto.ClientPayload
}

export class NoiseResponder {
  private hash: Buffer = NOISE_MODE
  private salt: Buffer = NOISE_MODE
  private key: Buffer = NOISE_MODE
  private counter = 0
  private readonly ephemeral: KeyPair = newKeyPair()
  private clientEphemeral: Buffer | undefined

  constructor(
    private readonly staticKey: KeyPair,
    private readonly certChain: Uint8Array,
  ) {}

  private mixHash(data: Uint8Array): void {
    this.hash = createHash('sha256').update(this.hash).update(data).digest()
  }

  private mixKey(ikm: Uint8Array): void {
    const [ck, k] = hkdf64(ikm, this.salt)
    this.salt = ck
    this.key = k
    this.counter = 0
  }

  private seal(plain: Uint8Array): Buffer {
    const out = gcmEncrypt(this.key, this.counter++, plain, this.hash)
    this.mixHash(out)
    return out
  }

  private open(sealed: Uint8Array): Buffer {
    const out = gcmDecrypt(this.key, this.counter++, sealed, this.hash)
    this.mixHash(sealed)
    return out
  }

  /** Takes the intro header and the clientHello frame; returns the serverHello frame payload. */
  respondToHello(introHeader: Uint8Array, helloFrame: Uint8Array): Buffer {
    const msg = proto.HandshakeMessage.decode(helloFrame)
    const ce = msg.clientHello?.ephemeral
    if (!ce || ce.length !== 32) throw new Error('handshake: clientHello without a 32-byte ephemeral')
    this.clientEphemeral = Buffer.from(ce)
    this.mixHash(introHeader)
    this.mixHash(this.clientEphemeral)
    this.mixHash(this.ephemeral.public)
    this.mixKey(Curve.sharedKey(this.ephemeral.private, this.clientEphemeral))
    const staticSealed = this.seal(this.staticKey.public)
    this.mixKey(Curve.sharedKey(this.staticKey.private, this.clientEphemeral))
    const payloadSealed = this.seal(this.certChain)
    return Buffer.from(
      proto.HandshakeMessage.encode({
        serverHello: { ephemeral: this.ephemeral.public, static: staticSealed, payload: payloadSealed },
      }).finish(),
    )
  }

  /** Takes the clientFinish frame; the session is in transport mode afterwards. */
  finish(finishFrame: Uint8Array): HandshakeResult {
    const msg = proto.HandshakeMessage.decode(finishFrame)
    const fin = msg.clientFinish
    if (!fin?.static || !fin.payload) throw new Error('handshake: clientFinish incomplete')
    // The counter is not reset between our payload and the client's static:
    // both are under the same key, so the client's static uses counter 1.
    const clientStatic = this.open(fin.static)
    this.mixKey(Curve.sharedKey(this.ephemeral.private, clientStatic))
    const payload = this.open(fin.payload)
    const [clientWrite, clientRead] = hkdf64(Buffer.alloc(0), this.salt)
    return {
      transport: new TransportCipher(clientRead, clientWrite),
      clientStatic,
      clientPayload: proto.ClientPayload.decode(payload),
    }
  }
}
