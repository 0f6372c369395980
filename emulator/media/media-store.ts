// What the media host keeps: upload auth tokens handed out by `media_conn`,
// and the encrypted blobs uploaded, under the direct path a message names.
import { createHmac, randomBytes } from 'node:crypto'

/** Per WhatsApp's media path families (`t62.<n>-24`): images, documents, audio, video, stickers. */
const PATH_FAMILY: Record<string, string> = {
  image: 't62.7118-24',
  document: 't62.7119-24',
  audio: 't62.7117-24',
  video: 't62.7161-24',
  sticker: 't62.15575-24',
}

export interface StoredMedia {
  /** The upload path's type (`image`, `document`, …). */
  type: string
  enc: Buffer
  directPath: string
  /** The bot phone (upload over HTTP) or contact phone (a contact's phone) that put it there. */
  by: string
}

export interface Refusal {
  at: number
  status: number
  reason: string
}

export class MediaStore {
  /** Auth token → unix ms it expires and who it was issued to. */
  private readonly auths = new Map<string, { expires: number; to: string }>()
  private readonly blobs = new Map<string, StoredMedia>()
  /** Recent refused uploads and downloads, newest last, for tests and diagnostics. */
  readonly refusals: Refusal[] = []
  private readonly secret = randomBytes(32)
  /** `127.0.0.1:port` once the host listens. */
  hostname = ''

  constructor(readonly ttlSeconds = 300) {}

  issueAuth(to: string): string {
    const token = randomBytes(24).toString('base64')
    this.auths.set(token, { expires: Date.now() + this.ttlSeconds * 1000, to })
    return token
  }

  /** Who `token` was issued to, if it is one and not expired. */
  authOwner(token: string): string | undefined {
    const a = this.auths.get(token)
    if (!a) return undefined
    if (a.expires < Date.now()) {
      this.auths.delete(token)
      return undefined
    }
    return a.to
  }

  /** Forgets every auth token, as if they had all expired. */
  expireAuths(): void {
    this.auths.clear()
  }

  /** Keeps `enc` and returns where it can be downloaded from. */
  put(type: string, enc: Buffer, by: string): StoredMedia {
    const family = PATH_FAMILY[type] ?? PATH_FAMILY.document!
    const name = randomBytes(16).toString('hex')
    const path = `/v/${family}/${name}.enc`
    const oe = Math.floor(Date.now() / 1000 + 30 * 86400).toString(16).toUpperCase()
    const oh = createHmac('sha256', this.secret).update(`${path}${oe}`).digest('base64url').slice(0, 32)
    const stored: StoredMedia = { type, enc, directPath: `${path}?ccb=11-4&oh=01_${oh}&oe=${oe}&_nc_sid=5e03e0`, by }
    this.blobs.set(path, stored)
    return stored
  }

  /** The blob a direct path or full URL names (query and host ignored). */
  get(pathOrUrl: string): StoredMedia | undefined {
    const path = pathOrUrl.startsWith('https://') ? new URL(pathOrUrl).pathname : pathOrUrl.split('?')[0]!
    return this.blobs.get(path)
  }

  /** The URL a message carries for `directPath`. */
  url(directPath: string): string {
    return `https://${this.hostname}${directPath}&mms3=true`
  }

  /** Every stored blob, oldest first. */
  all(): StoredMedia[] {
    return [...this.blobs.values()]
  }

  refuse(status: number, reason: string): Refusal {
    const r = { at: Date.now(), status, reason }
    this.refusals.push(r)
    if (this.refusals.length > 50) this.refusals.shift()
    return r
  }
}
