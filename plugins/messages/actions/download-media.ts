import { defineAction, notFound, streamed, WhatsAppError, type StreamedFile } from 'waplug'
import type { RecentMessages } from '../recent-messages.js'
import { MESSAGE_ID } from '../sending.js'

/** File extensions for the types WhatsApp carries, for a download's default name. */
const EXTENSIONS: Record<string, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
  'video/mp4': 'mp4',
  'video/3gpp': '3gp',
  'audio/ogg': 'ogg',
  'audio/mpeg': 'mp3',
  'audio/mp4': 'm4a',
  'audio/aac': 'aac',
  'audio/amr': 'amr',
  'application/pdf': 'pdf',
}

function defaultName(id: string, mimetype: string): string {
  const type = mimetype.split(';')[0]?.trim() ?? ''
  const ext = EXTENSIONS[type] ?? (type.split('/')[1]?.replace(/[^a-z0-9]/gi, '').slice(0, 8) || 'bin')
  return `${id}.${ext}`
}

export const downloadMedia = (recent: RecentMessages) =>
  defineAction<{ id: string }, StreamedFile>({
    name: 'download',
    summary: "Download a received message's image, video, audio, voice note, document or sticker",
    input: { type: 'object', additionalProperties: false, required: ['id'], properties: { id: MESSAGE_ID } },
    http: { method: 'GET', path: '/messages/:id/media' },
    successMessage: 'Media',
    failureMessage: 'Failed to download the media',
    async handler(input, { whatsapp, caller }) {
      const found = recent.find(caller.session, input.id)
      if (!found) throw notFound(`No received message ${input.id} is known; media can be downloaded for ${recent.describe()}`)
      if (!found.media) throw notFound(`Message ${input.id} is a ${found.kind} message; it has no media`)
      try {
        const file = await whatsapp.downloadMedia(found.media)
        const mimetype = file.mimetype || 'application/octet-stream'
        return streamed({ stream: file.stream, contentType: mimetype, fileName: file.file_name ?? defaultName(input.id, mimetype) })
      } catch (error) {
        if (!(error instanceof WhatsAppError) || error.kind === 'not-connected' || error.kind === 'timeout') throw error
        throw notFound(`WhatsApp no longer has the file of message ${input.id} (it keeps media for a limited time), or could not give it: ${(error as Error).message}`)
      }
    },
  })
