// What kind of message a bot sent and what a phone would show of it:
// reactions, polls, edits and deletes (protocol messages), locations,
// contact cards, link previews. Media is read separately (media-message.ts).
import { proto } from '@whiskeysockets/baileys'
import type { MediaKind } from './media-message.js'
import { mediaPart } from './media-message.js'
import { unwrap } from './text-message.js'

export type MessageKind = 'text' | MediaKind | 'reaction' | 'poll' | 'poll-vote' | 'edit' | 'delete' | 'location' | 'contact' | 'other'

export interface MessageContent {
  kind: MessageKind
  /** Reaction to message `id`; `text` '' removes the reaction. */
  reaction?: { id: string; text: string; fromMe: boolean }
  poll?: { name: string; options: string[]; selectableCount: number; messageSecret?: Buffer }
  /** A poll vote as sent (still encrypted): which poll it is for. */
  pollVote?: { pollId: string }
  /** An edit of message `id`, with its new text. */
  edit?: { id: string; text: string }
  /** A delete for everyone of message `id`. */
  delete?: { id: string }
  location?: { latitude: number; longitude: number; name?: string; address?: string }
  contacts?: { displayName: string; vcard: string }[]
  linkPreview?: { matchedText?: string; title?: string; description?: string }
}

const PROTOCOL = proto.Message.ProtocolMessage.Type

function editedText(m: proto.IMessage | null | undefined): string {
  if (!m) return ''
  const inner = unwrap(m)
  return inner.conversation ?? inner.extendedTextMessage?.text ?? inner.imageMessage?.caption ?? inner.videoMessage?.caption ?? ''
}

export function describeMessage(raw: proto.IMessage): MessageContent {
  const m = unwrap(raw)
  const media = mediaPart(m)
  if (media) return { kind: media.kind }
  if (m.reactionMessage) {
    const r = m.reactionMessage
    return { kind: 'reaction', reaction: { id: r.key?.id ?? '', text: r.text ?? '', fromMe: r.key?.fromMe === true } }
  }
  const poll = m.pollCreationMessageV3 ?? m.pollCreationMessageV2 ?? m.pollCreationMessage
  if (poll) {
    const out: MessageContent['poll'] = {
      name: poll.name ?? '',
      options: (poll.options ?? []).map((o) => o.optionName ?? ''),
      selectableCount: poll.selectableOptionsCount ?? 0,
    }
    const secret = raw.messageContextInfo?.messageSecret ?? m.messageContextInfo?.messageSecret
    if (secret?.length) out.messageSecret = Buffer.from(secret)
    return { kind: 'poll', poll: out }
  }
  if (m.pollUpdateMessage) return { kind: 'poll-vote', pollVote: { pollId: m.pollUpdateMessage.pollCreationMessageKey?.id ?? '' } }
  const p = m.protocolMessage
  if (p?.type === PROTOCOL.MESSAGE_EDIT) return { kind: 'edit', edit: { id: p.key?.id ?? '', text: editedText(p.editedMessage) } }
  if (p?.type === PROTOCOL.REVOKE) return { kind: 'delete', delete: { id: p.key?.id ?? '' } }
  if (m.editedMessage?.message?.protocolMessage) return describeMessage(m.editedMessage.message)
  const loc = m.locationMessage ?? m.liveLocationMessage
  if (loc) {
    const location: NonNullable<MessageContent['location']> = { latitude: loc.degreesLatitude ?? 0, longitude: loc.degreesLongitude ?? 0 }
    if (m.locationMessage?.name) location.name = m.locationMessage.name
    if (m.locationMessage?.address) location.address = m.locationMessage.address
    return { kind: 'location', location }
  }
  if (m.contactMessage) return { kind: 'contact', contacts: [{ displayName: m.contactMessage.displayName ?? '', vcard: m.contactMessage.vcard ?? '' }] }
  if (m.contactsArrayMessage) {
    const contacts = (m.contactsArrayMessage.contacts ?? []).map((c) => ({ displayName: c.displayName ?? '', vcard: c.vcard ?? '' }))
    return { kind: 'contact', contacts }
  }
  if (m.conversation != null || m.extendedTextMessage) {
    const ext = m.extendedTextMessage
    const out: MessageContent = { kind: 'text' }
    if (ext && (ext.matchedText || ext.title || ext.description)) {
      const preview: NonNullable<MessageContent['linkPreview']> = {}
      if (ext.matchedText) preview.matchedText = ext.matchedText
      if (ext.title) preview.title = ext.title
      if (ext.description) preview.description = ext.description
      out.linkPreview = preview
    }
    return out
  }
  return { kind: 'other' }
}
