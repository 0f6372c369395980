import { Readable } from 'node:stream'
import { fileTypeFromBuffer, type FileTypeResult } from 'file-type'
import { badRequest } from '../../errors.js'
import type { MediaKind } from './outgoing.js'

/** What WhatsApp's apps show for each kind; anything else is refused before it is uploaded. */
const ACCEPTED: Record<Exclude<MediaKind, 'document'>, { mimes: string[]; words: string }> = {
  image: { mimes: ['image/jpeg', 'image/png'], words: 'a JPEG or PNG image' },
  sticker: { mimes: ['image/webp'], words: 'a WebP image' },
  video: { mimes: ['video/mp4', 'video/3gpp'], words: 'an MP4 or 3GP video' },
  audio: { mimes: ['audio/mpeg', 'audio/mp4', 'audio/x-m4a', 'audio/aac', 'audio/ogg', 'audio/ogg; codecs=opus', 'audio/opus', 'audio/amr'], words: 'an MP3, M4A, AAC, OGG or AMR audio file' },
  voice: { mimes: ['audio/ogg; codecs=opus', 'audio/opus', 'audio/ogg'], words: 'an OGG file with Opus audio (what WhatsApp records)' },
}

/** What a voice note must say it is for WhatsApp's apps to play it as one. */
const VOICE_MIMETYPE = 'audio/ogg; codecs=opus'
/** Enough for file-type to recognise every format it knows. */
const SAMPLE_BYTES = 4100

/** The kind to send a file as, by what its bytes are. */
export function kindFor(mime: string): MediaKind {
  if (mime === 'image/webp') return 'sticker'
  if (ACCEPTED.image.mimes.includes(mime)) return 'image'
  if (ACCEPTED.video.mimes.includes(mime)) return 'video'
  if (mime === VOICE_MIMETYPE) return 'voice'
  if (ACCEPTED.audio.mimes.includes(mime)) return 'audio'
  return 'document'
}

/**
 * The mimetype to send, read from the file's first bytes rather than taken
 * from its name or the caller's word; a file that is not the kind asked for
 * is refused with what it is. Documents may be anything: for them the
 * declared type is used when the bytes say nothing (plain text, CSV).
 */
export function checkedMimetype(kind: MediaKind, found: FileTypeResult | undefined, declared: string | undefined): string {
  if (kind === 'document') return found?.mime ?? declared ?? 'application/octet-stream'
  const accepted = ACCEPTED[kind]
  if (found && accepted.mimes.includes(found.mime)) return kind === 'voice' ? VOICE_MIMETYPE : found.mime
  const what = found ? `a ${found.ext.toUpperCase()} file (${found.mime})` : 'of a type that cannot be told from its bytes'
  const instead = found ? kindFor(found.mime) : 'document'
  throw badRequest(`the ${kind} is ${what}, not ${accepted.words}; send ${accepted.words}, or send this file with kind '${instead}'`)
}

/** Sniffs a buffer. */
export async function mimetypeOfBuffer(kind: MediaKind, bytes: Buffer, declared?: string): Promise<string> {
  return checkedMimetype(kind, await fileTypeFromBuffer(bytes.subarray(0, SAMPLE_BYTES)), declared)
}

/**
 * Sniffs a stream's first bytes, waiting for enough of them (or the end: a
 * slow source fails here by its time limit, not as an unknown type), and
 * gives back a stream that still starts with them.
 */
export async function mimetypeOfStream(kind: MediaKind, stream: Readable, declared?: string): Promise<{ stream: Readable; mimetype: string }> {
  const chunks = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>
  const head: Buffer[] = []
  let size = 0
  let ended = false
  while (size < SAMPLE_BYTES) {
    const next = await chunks.next()
    if (next.done) {
      ended = true
      break
    }
    head.push(next.value)
    size += next.value.length
  }
  const sample = Buffer.concat(head)
  const mimetype = checkedMimetype(kind, await fileTypeFromBuffer(sample), declared)
  const whole = Readable.from(
    (async function* () {
      yield sample
      if (ended) return
      for (;;) {
        const next = await chunks.next()
        if (next.done) return
        yield next.value
      }
    })(),
  )
  // Ending the whole ends the source too (a fetch, a file).
  whole.on('close', () => void chunks.return?.())
  return { stream: whole, mimetype }
}
