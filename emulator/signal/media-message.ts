// Media between contacts and bots as phones handle it: a contact's phone
// encrypts the file with a fresh media key, uploads the blob to the media
// host and sends a message carrying the key and hashes; reading the bot's
// media message, it downloads the blob the message points to, checks both
// hashes and the mac, and decrypts (emulator/media/media-crypto.ts, which
// is node:crypto, not Baileys).
import type { proto } from '@whiskeysockets/baileys'
import { decryptMedia, encryptMedia } from '../media/media-crypto.js'

/** The slice of the emulator's media store contacts use. */
export interface MediaStoreLike {
  put(type: string, enc: Buffer, by: string): { directPath: string }
  get(pathOrUrl: string): { enc: Buffer } | undefined
  url(directPath: string): string
}

export type MediaKind = 'image' | 'video' | 'audio' | 'document' | 'sticker'

/** Where each kind sits in a `proto.Message`, and its key/upload type. */
export const MEDIA_FIELDS: Record<MediaKind, keyof proto.IMessage> = {
  image: 'imageMessage',
  video: 'videoMessage',
  audio: 'audioMessage',
  document: 'documentMessage',
  sticker: 'stickerMessage',
}

const DEFAULT_MIMETYPE: Record<MediaKind, string> = {
  image: 'image/jpeg',
  video: 'video/mp4',
  audio: 'audio/ogg; codecs=opus',
  document: 'application/octet-stream',
  sticker: 'image/webp',
}

/** Sticker blobs are uploaded under the image path, as clients do. */
const UPLOAD_TYPE: Record<MediaKind, string> = { image: 'image', video: 'video', audio: 'audio', document: 'document', sticker: 'image' }

export interface MediaOptions {
  caption?: string
  mimetype?: string
  /** Documents: the name the receiver sees. */
  fileName?: string
  /** Audio: a voice note (push-to-talk). */
  ptt?: boolean
  /** Audio and video: duration in seconds. */
  seconds?: number
}

/** Encrypts and uploads `bytes`, and gives the message a phone would send for them. */
export function mediaMessage(store: MediaStoreLike, kind: MediaKind, bytes: Uint8Array, by: string, opts: MediaOptions = {}): proto.IMessage {
  const enc = encryptMedia(bytes, kind)
  const { directPath } = store.put(UPLOAD_TYPE[kind], enc.enc, by)
  const content: Record<string, unknown> = {
    url: store.url(directPath),
    directPath,
    mimetype: opts.mimetype ?? DEFAULT_MIMETYPE[kind],
    mediaKey: enc.mediaKey,
    fileSha256: enc.fileSha256,
    fileEncSha256: enc.fileEncSha256,
    fileLength: enc.fileLength,
    mediaKeyTimestamp: Math.floor(Date.now() / 1000),
  }
  if (opts.caption !== undefined && (kind === 'image' || kind === 'video' || kind === 'document')) content.caption = opts.caption
  if (kind === 'document') content.fileName = opts.fileName ?? 'file'
  if (kind === 'audio') content.ptt = opts.ptt ?? false
  if (opts.seconds !== undefined && (kind === 'audio' || kind === 'video')) content.seconds = opts.seconds
  // A captioned document travels wrapped, as phones send it.
  if (kind === 'document' && opts.caption !== undefined) {
    return { documentWithCaptionMessage: { message: { documentMessage: content } } }
  }
  return { [MEDIA_FIELDS[kind]]: content }
}

/** What a contact's phone shows of a bot's media message, with the decrypted bytes. */
export interface ReceivedMedia {
  type: MediaKind
  mimetype: string
  bytes: Buffer
  caption?: string
  fileName?: string
  ptt?: boolean
  /** The size the message announces (equal to bytes.length once checked). */
  fileLength: number
  directPath: string
}

interface MediaFields {
  url?: string | null
  directPath?: string | null
  mediaKey?: Uint8Array | null
  mimetype?: string | null
  fileSha256?: Uint8Array | null
  fileEncSha256?: Uint8Array | null
  fileLength?: number | { toNumber(): number } | null
  caption?: string | null
  fileName?: string | null
  ptt?: boolean | null
}

/** The media part of `m` (already unwrapped), if any. */
export function mediaPart(m: proto.IMessage): { kind: MediaKind; fields: MediaFields } | undefined {
  for (const kind of Object.keys(MEDIA_FIELDS) as MediaKind[]) {
    const fields = m[MEDIA_FIELDS[kind]] as MediaFields | null | undefined
    if (fields) return { kind, fields }
  }
  return undefined
}

/** Downloads and decrypts the media `m` carries; throws saying what did not check out. */
export function readMedia(store: MediaStoreLike, kind: MediaKind, f: MediaFields): ReceivedMedia {
  const where = f.directPath ?? f.url
  if (!where) throw new Error(`${kind} message has neither directPath nor url`)
  if (!f.mediaKey?.length) throw new Error(`${kind} message has no mediaKey`)
  const stored = store.get(where)
  if (!stored) throw new Error(`${kind} message points to ${where}, which the media host does not have (was it uploaded here?)`)
  const fileLength = f.fileLength == null ? undefined : typeof f.fileLength === 'number' ? f.fileLength : f.fileLength.toNumber()
  const bytes = decryptMedia(stored.enc, f.mediaKey, kind, { fileSha256: f.fileSha256, fileEncSha256: f.fileEncSha256, fileLength: fileLength ?? null })
  const out: ReceivedMedia = { type: kind, mimetype: f.mimetype ?? '', bytes, fileLength: fileLength ?? bytes.length, directPath: f.directPath ?? where }
  if (f.caption != null) out.caption = f.caption
  if (f.fileName != null) out.fileName = f.fileName
  if (f.ptt != null) out.ptt = f.ptt
  return out
}
