// The w:g2 namespace: one IQ entry point that applies armed refusals, then
// routes by the IQ's first child (and whether it targets a group or @g.us).
// The bot acting is the one whose connection sent the IQ.
import type { EmulatorHost } from '../server/host.js'
import { IqError } from '../server/router.js'
import { type BinaryNode, firstChild, node } from '../wire/binary-node.js'
import type { BotAccount } from '../world/bot-account.js'
import type { Group } from '../world/group.js'
import { pnJid } from '../world/jids.js'
import { BAD_REQUEST, botActor, requireAdmin, requireMember } from './access.js'
import { createAs, createByBot } from './create.js'
import { acceptInvite, acceptInviteV4, groupInvite, inviteInfo } from './invite.js'
import { leave, participating, queryGroup } from './membership.js'
import { notifyGroup } from './notify.js'
import { applyParticipants, changeParticipants, type ParticipantOp } from './participants.js'
import { actOnRequests, listRequests, requestToJoin } from './requests.js'
import { changeSetting, SETTING_OPS } from './settings.js'

const PARTICIPANT_OPS = new Set<string>(['add', 'remove', 'promote', 'demote'])
const SETTINGS = new Set<string>(SETTING_OPS)

export interface GroupsApi {
  createAs(creatorPhone: string, subject: string, members: string[], botIsAdmin: boolean, admins?: string[], bots?: BotAccount[]): Group
  requestToJoin(groupJid: string, phoneOrJid: string): void
  /** A contact (an admin, unless removing themself) changes members; returns the per-participant reply. */
  participantsAs(actorPhone: string, groupJid: string, phones: string[], action: ParticipantOp): BinaryNode
  /** A contact changes the subject or description. */
  updateAs(actorPhone: string, groupJid: string, change: { subject?: string; description?: string }): void
}

export function installGroups(host: EmulatorHost): GroupsApi {
  host.router.iq({ xmlns: 'w:g2' }, (iq, session) => {
    const op = firstChild(iq)
    if (!op) throw BAD_REQUEST()
    const refused = host.faults.refusal(op.tag, session)
    if (refused) throw new IqError(refused.code, refused.text)
    const actor = botActor(host, session)
    const toServer = (iq.attrs.to ?? '') === '@g.us' || iq.attrs.to === 'g.us'
    const isSet = iq.attrs.type === 'set'
    if (toServer) {
      if (op.tag === 'create' && isSet) return createByBot(host, op, actor)
      if (op.tag === 'participating') return participating(host, op, actor)
      if (op.tag === 'leave' && isSet) return leave(host, op, actor)
      if (op.tag === 'invite' && op.attrs.code !== undefined) return isSet ? acceptInvite(host, op, actor) : inviteInfo(host, op)
      throw BAD_REQUEST()
    }
    if (op.tag === 'query') return queryGroup(host, iq, actor)
    if (op.tag === 'invite') return groupInvite(host, iq, actor)
    if (op.tag === 'accept' && isSet) return acceptInviteV4(host, iq, op, actor)
    // Revoking a v4 invite leaves nothing on the server to change.
    if (op.tag === 'revoke' && isSet) return undefined
    if (op.tag === 'membership_approval_requests') return listRequests(host, iq, actor)
    if (op.tag === 'membership_requests_action' && isSet) return actOnRequests(host, iq, op, actor)
    if (PARTICIPANT_OPS.has(op.tag) && isSet) return changeParticipants(host, iq, op as typeof op & { tag: ParticipantOp }, actor)
    if (SETTINGS.has(op.tag) && isSet) return changeSetting(host, iq, op, actor)
    throw BAD_REQUEST()
  })
  return {
    createAs: (creatorPhone, subject, members, botIsAdmin, admins, bots) => createAs(host, creatorPhone, subject, members, botIsAdmin, admins, bots),
    requestToJoin: (groupJid, phoneOrJid) => {
      const g = host.world.group(groupJid)
      if (!g) throw new Error(`requestToJoin: no group ${groupJid}`)
      requestToJoin(host, g, phoneOrJid)
    },
    participantsAs: (actorPhone, groupJid, phones, action) => {
      const { g, actor } = actingContact(host, actorPhone, groupJid)
      const jids = phones.map((p) => (p.includes('@') ? p : pnJid(p.replace(/\D/g, ''))))
      const self = action === 'remove' && jids.length === 1 && host.world.person(jids[0]!)?.lid === actor.lid
      if (self) requireMember(g, actor)
      else if (action === 'add' && g.memberAddMode === 'all_member_add') requireMember(g, actor)
      else requireAdmin(g, actor)
      const op = node(action, {}, jids.map((jid) => node('participant', { jid }))) as BinaryNode & { tag: ParticipantOp }
      return applyParticipants(host, g, actor, op)
    },
    updateAs: (actorPhone, groupJid, change) => {
      const { g, actor } = actingContact(host, actorPhone, groupJid)
      if (g.restrict) requireAdmin(g, actor)
      else requireMember(g, actor)
      const now = host.now()
      if (change.subject !== undefined) {
        g.subject = change.subject
        g.subjectOwner = actor.lid
        g.subjectOwnerPn = actor.pn
        g.subjectTime = now
        notifyGroup(host, g, actor, node('subject', { subject: g.subject, s_o: actor.lid, s_o_pn: actor.pn, s_t: String(now) }))
      }
      if (change.description !== undefined) {
        const id = host.nextId()
        g.description = { body: change.description, id, owner: actor.lid, ownerPn: actor.pn, t: now }
        notifyGroup(host, g, actor, node('description', { id }, [node('body', {}, Buffer.from(change.description))]))
      }
    },
  }
}

function actingContact(host: EmulatorHost, phone: string, groupJid: string): { g: Group; actor: { lid: string; pn: string } } {
  const c = host.world.contact(phone)
  if (!c) throw new Error(`no contact ${phone}`)
  const g = host.world.group(groupJid)
  if (!g) throw new Error(`no group ${groupJid}`)
  return { g, actor: { lid: c.lid, pn: c.jid } }
}
