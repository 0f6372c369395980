import type { BinaryNode } from '@whiskeysockets/baileys'
import { isLid, isPhoneJid, normalizeJid } from './jids.js'
import type { GroupInfo, GroupParticipant, ParticipantFailure } from './types.js'

const childrenOf = (node: BinaryNode, tag: string): BinaryNode[] =>
  Array.isArray(node.content) ? node.content.filter((child) => child.tag === tag) : []

const childOf = (node: BinaryNode, tag: string): BinaryNode | undefined => childrenOf(node, tag)[0]

function textOf(node: BinaryNode | undefined): string {
  if (!node) return ''
  const { content } = node
  if (typeof content === 'string') return content
  return content instanceof Uint8Array ? Buffer.from(content).toString('utf8') : ''
}

/**
 * A group as WhatsApp describes it in a `<group>` node (create, metadata).
 * Read by hand rather than through Baileys' parser because that one drops the
 * per-participant `error` of a create, and those tell the user who was not added.
 * In LID-addressed groups a participant's jid is a lid with its phone number beside it;
 * people recognise phone numbers, so that is the jid we report.
 */
export function parseGroupNode(reply: BinaryNode): { group: GroupInfo; failed: ParticipantFailure[] } | undefined {
  const node = reply.tag === 'group' ? reply : childOf(reply, 'group')
  if (!node?.attrs.id) return undefined
  const participants: GroupParticipant[] = []
  const failed: ParticipantFailure[] = []
  for (const { attrs } of childrenOf(node, 'participant')) {
    if (!attrs.jid) continue
    const ids = readableIds(attrs)
    if (attrs.error) {
      failed.push({ jid: ids.jid, code: Number(attrs.error) || 500 })
      continue
    }
    participants.push({ ...ids, isAdmin: attrs.type === 'admin' || attrs.type === 'superadmin', isSuperAdmin: attrs.type === 'superadmin' })
  }
  const id = node.attrs.id
  const owner = node.attrs.creator_pn ?? node.attrs.creator
  return {
    group: {
      jid: id.includes('@') ? id : `${id}@g.us`,
      subject: node.attrs.subject ?? '',
      description: textOf(childOf(childOf(node, 'description') ?? node, 'body')),
      ...(owner ? { owner: normalizeJid(owner) } : {}),
      createdAt: Number(node.attrs.creation) || 0,
      size: participants.length,
      participants,
    },
    failed,
  }
}

function readableIds(attrs: Record<string, string>): { jid: string; lid?: string } {
  const jid = normalizeJid(attrs.jid ?? '')
  if (isLid(jid) && attrs.phone_number && isPhoneJid(attrs.phone_number)) return { jid: normalizeJid(attrs.phone_number), lid: jid }
  if (isPhoneJid(jid) && attrs.lid && isLid(attrs.lid)) return { jid, lid: normalizeJid(attrs.lid) }
  return { jid }
}
