import type { Readable } from 'node:stream'
import { sharedSymbol } from '../across-copies.js'

const BRAND = sharedSymbol('StreamedFile')

/** What an HTTP action answers with instead of an envelope: a file, sent as it is read. */
export interface StreamedFile {
  readonly stream: Readable
  readonly contentType: string
  /** Offered as the download's name (Content-Disposition). */
  readonly fileName?: string
  /** Bytes, when known beforehand (Content-Length). */
  readonly size?: number
}

/**
 * An action's answer that is a file rather than data: its route streams the
 * bytes with their type and name, past the envelope (errors still come as
 * envelopes). For HTTP-only actions, `GET` routes: a chat command cannot send it.
 */
export function streamed(file: StreamedFile): StreamedFile {
  return Object.defineProperty({ ...file }, BRAND, { value: true })
}

/** Recognises a streamed answer from any copy of waplug. */
export function isStreamedFile(value: unknown): value is StreamedFile {
  return typeof value === 'object' && value !== null && BRAND in value
}

/** `attachment; filename="…"`, with the UTF-8 form for names beyond ASCII. */
export function contentDisposition(fileName: string | undefined): string {
  if (!fileName) return 'attachment'
  const ascii = fileName.replace(/[^\x20-\x7e]|["\\]/g, '_')
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`
}
