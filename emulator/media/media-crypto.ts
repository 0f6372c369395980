// WhatsApp's media encryption, written on node:crypto alone so the emulator
// checks what Baileys uploads instead of trusting Baileys' own code: a
// 32-byte media key expands (HKDF-SHA256, info "WhatsApp <Type> Keys") into
// an IV, an AES-256-CBC key and an HMAC key; the blob is the ciphertext
// followed by the first 10 bytes of HMAC-SHA256(iv ‖ ciphertext).
import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto'

/** The HKDF info word per media type, as the clients use it. */
const INFO: Record<string, string> = {
  image: 'Image',
  sticker: 'Image',
  video: 'Video',
  gif: 'Video',
  ptv: 'Video',
  audio: 'Audio',
  ptt: 'Audio',
  document: 'Document',
  'thumbnail-link': 'Link Thumbnail',
}

const MAC_LENGTH = 10

export interface MediaKeys {
  iv: Buffer
  cipherKey: Buffer
  macKey: Buffer
}

export function mediaKeys(mediaKey: Uint8Array, type: string): MediaKeys {
  const info = INFO[type]
  if (!info) throw new Error(`no media keys for type "${type}"; known: ${Object.keys(INFO).join(', ')}`)
  const expanded = Buffer.from(hkdfSync('sha256', mediaKey, Buffer.alloc(0), `WhatsApp ${info} Keys`, 112))
  return { iv: expanded.subarray(0, 16), cipherKey: expanded.subarray(16, 48), macKey: expanded.subarray(48, 80) }
}

export interface EncryptedMedia {
  mediaKey: Buffer
  /** What is uploaded: ciphertext ‖ 10-byte mac. */
  enc: Buffer
  fileSha256: Buffer
  fileEncSha256: Buffer
  fileLength: number
}

export function sha256(bytes: Uint8Array): Buffer {
  return createHash('sha256').update(bytes).digest()
}

export function encryptMedia(plain: Uint8Array, type: string, mediaKey: Buffer = randomBytes(32)): EncryptedMedia {
  const { iv, cipherKey, macKey } = mediaKeys(mediaKey, type)
  const cipher = createCipheriv('aes-256-cbc', cipherKey, iv)
  const ciphertext = Buffer.concat([cipher.update(plain), cipher.final()])
  const mac = createHmac('sha256', macKey).update(iv).update(ciphertext).digest().subarray(0, MAC_LENGTH)
  const enc = Buffer.concat([ciphertext, mac])
  return { mediaKey, enc, fileSha256: sha256(plain), fileEncSha256: sha256(enc), fileLength: plain.length }
}

export interface Expected {
  fileSha256?: Uint8Array | null
  fileEncSha256?: Uint8Array | null
  fileLength?: number | null
}

/** Checks the blob's hashes and mac as a receiving phone does, and gives the plaintext; throws saying what did not match. */
export function decryptMedia(enc: Uint8Array, mediaKey: Uint8Array, type: string, expected: Expected = {}): Buffer {
  const blob = Buffer.from(enc)
  if (expected.fileEncSha256?.length && !sha256(blob).equals(Buffer.from(expected.fileEncSha256))) {
    throw new Error('media blob does not match the message\'s fileEncSha256')
  }
  if (blob.length < MAC_LENGTH + 16) throw new Error(`media blob of ${blob.length} bytes is too short to hold a block and a mac`)
  const { iv, cipherKey, macKey } = mediaKeys(mediaKey, type)
  const ciphertext = blob.subarray(0, blob.length - MAC_LENGTH)
  const mac = blob.subarray(blob.length - MAC_LENGTH)
  const want = createHmac('sha256', macKey).update(iv).update(ciphertext).digest().subarray(0, MAC_LENGTH)
  if (!timingSafeEqual(mac, want)) throw new Error('media mac does not verify: wrong media key or type, or a corrupted blob')
  const decipher = createDecipheriv('aes-256-cbc', cipherKey, iv)
  const plain = Buffer.concat([decipher.update(ciphertext), decipher.final()])
  if (expected.fileSha256?.length && !sha256(plain).equals(Buffer.from(expected.fileSha256))) {
    throw new Error('decrypted media does not match the message\'s fileSha256')
  }
  if (expected.fileLength != null && Number(expected.fileLength) !== plain.length) {
    throw new Error(`decrypted media is ${plain.length} bytes, the message says ${expected.fileLength}`)
  }
  return plain
}

/** The url-safe, unpadded base64 the upload URL carries the enc hash in. */
export function uploadToken(fileEncSha256: Uint8Array): string {
  return Buffer.from(fileEncSha256).toString('base64url')
}
