// Creating a group: by a bot (IQ) or by a contact with bots in it (the
// test's createGroupAs). Either way each bot in it learns of it through a
// <create> notification, which is what makes Baileys emit groups.upsert.
import type { EmulatorHost } from '../server/host.js'
import { IqError } from '../server/router.js'
import { type BinaryNode, children, node } from '../wire/binary-node.js'
import type { BotAccount } from '../world/bot-account.js'
import type { Group } from '../world/group.js'
import { pnJid } from '../world/jids.js'
import { tryAdd } from './add-outcome.js'
import { BAD_REQUEST } from './access.js'
import { notifyGroup, type Actor } from './notify.js'
import { groupNode } from './render.js'

const MAX_SUBJECT = 100

export function checkSubject(subject: string | undefined): string {
  const s = (subject ?? '').trim()
  if (!s) throw BAD_REQUEST()
  if ([...s].length > MAX_SUBJECT) throw new IqError(406, 'not-acceptable')
  return s
}

/** <iq to="@g.us" type="set"><create subject key><participant jid/>…</create></iq> */
export function createByBot(host: EmulatorHost, op: BinaryNode, actor: Actor): BinaryNode {
  const subject = checkSubject(op.attrs.subject)
  const g = host.world.newGroup(subject, { ...actor, isBot: true })
  g.members.set(actor.lid, { ...actor, role: 'superadmin' })
  const errors: BinaryNode[] = []
  const seen = new Set<string>()
  for (const p of children(op, 'participant')) {
    const jid = p.attrs.jid ?? ''
    const person = host.world.person(jid)
    // The creator is in already; other bots are added like anyone else.
    if (person?.lid === actor.lid) continue
    if (seen.has(person?.lid ?? jid)) {
      errors.push(node('participant', { jid, error: '409' }))
      continue
    }
    seen.add(person?.lid ?? jid)
    const out = tryAdd(host, g, jid)
    if (!out.ok) errors.push(out.error)
  }
  const reply = groupNode(g, { extra: errors })
  notifyGroup(host, g, actor, node('create', {}, [groupNode(g)]))
  return reply
}

/**
 * A group a contact created, with `bots` as members (admins if asked): the
 * first bot when left out, as when the world had only one, plus any bot
 * `memberJids` names.
 */
export function createAs(
  host: EmulatorHost,
  creatorPhone: string,
  subject: string,
  memberJids: string[],
  botIsAdmin: boolean,
  adminJids: string[] = [],
  bots?: BotAccount[],
): Group {
  const creatorContact = host.world.contact(creatorPhone) ?? host.world.addContact(creatorPhone)
  const creator: Actor = { lid: creatorContact.lid, pn: creatorContact.jid }
  const g = host.world.newGroup(checkSubject(subject), { ...creator, isBot: false, contact: creatorContact })
  g.members.set(creator.lid, { ...creator, role: 'superadmin' })
  const first = host.world.bot
  const jids = memberJids.map((m) => (m.includes('@') ? m : pnJid(m.replace(/\D/g, ''))))
  const named = jids.map((jid) => host.world.person(jid)?.bot).filter((b): b is BotAccount => b !== undefined)
  for (const bot of [...(bots ?? (first ? [first] : [])), ...named]) {
    g.members.set(bot.lid, { lid: bot.lid, pn: bot.jid, role: botIsAdmin ? 'admin' : 'member' })
  }
  for (const jid of jids) if (!host.world.person(jid)?.isBot) tryAdd(host, g, jid)
  // Set before the <create> notification, so the bot learns the roles as they are.
  for (const a of adminJids) {
    const member = g.member(a.includes('@') ? a : pnJid(a.replace(/\D/g, '')))
    if (member?.role === 'member') member.role = 'admin'
  }
  notifyGroup(host, g, creator, node('create', {}, [groupNode(g)]))
  return g
}
