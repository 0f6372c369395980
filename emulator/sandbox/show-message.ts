// How the sandbox prints what the bot sent: text as is; media as its kind,
// mimetype, size, caption and file name, saved to a temporary file whose
// path is shown; other kinds (reactions, polls, edits, …) in a short form.
import { writeFileSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { BotMessage } from '../signal/index.js'

let folder: string | undefined

function save(m: BotMessage): string {
  const media = m.media!
  folder ??= mkdtempSync(join(tmpdir(), 'waplug-sandbox-media-'))
  const ext = media.fileName?.includes('.') ? '' : `.${media.mimetype.split(';')[0]?.split('/')[1] ?? 'bin'}`
  const path = join(folder, `${m.id}-${media.fileName ?? media.type}${ext}`.replace(/[/\\]/g, '_'))
  writeFileSync(path, media.bytes)
  return path
}

export function showMessage(m: BotMessage): string {
  if (m.media) {
    const { type, mimetype, bytes, caption, fileName } = m.media
    const facts = [type, mimetype, `${bytes.length} bytes`, ...(fileName ? [`"${fileName}"`] : [])].join(', ')
    return `[${facts}]${caption ? ` ${caption}` : ''}  saved to ${save(m)}`
  }
  if (m.mediaError) return `[${m.kind}, could not be read: ${m.mediaError}]`
  switch (m.kind) {
    case 'reaction':
      return m.reaction?.text ? `[reacts ${m.reaction.text} to ${m.reaction.id}]` : `[removes its reaction to ${m.reaction?.id}]`
    case 'poll':
      return `[poll "${m.poll?.name}": ${m.poll?.options.join(' / ')}]`
    case 'edit':
      return `[edits ${m.edit?.id}] ${m.edit?.text}`
    case 'delete':
      return `[deletes ${m.delete?.id} for everyone]`
    case 'location':
      return `[location ${m.location?.latitude}, ${m.location?.longitude}${m.location?.name ? ` ${m.location.name}` : ''}]`
    case 'contact':
      return `[contact card: ${(m.contacts ?? []).map((c) => c.displayName).join(', ')}]`
    default:
      return m.text.replace(/\n/g, '\n      ')
  }
}
