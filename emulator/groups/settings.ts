// Subject, description and the group settings. Subject, description and
// disappearing messages are open to all members unless the group is locked;
// the rest is for admins.
import type { EmulatorHost } from '../server/host.js'
import { IqError } from '../server/router.js'
import { type BinaryNode, child, node, text } from '../wire/binary-node.js'
import type { Group } from '../world/group.js'
import { BAD_REQUEST, requireAdmin, requireMember, targetGroup } from './access.js'
import { checkSubject } from './create.js'
import { notifyGroup, type Actor } from './notify.js'

const MAX_DESCRIPTION = 2048
const EPHEMERAL_DURATIONS = new Set([86400, 604800, 7776000])

function requireEditor(g: Group, actor: Actor): void {
  if (g.restrict) requireAdmin(g, actor)
  else requireMember(g, actor)
}

export const SETTING_OPS = [
  'subject',
  'description',
  'announcement',
  'not_announcement',
  'locked',
  'unlocked',
  'ephemeral',
  'not_ephemeral',
  'member_add_mode',
  'membership_approval_mode',
] as const

export function changeSetting(host: EmulatorHost, iq: BinaryNode, op: BinaryNode, actor: Actor): undefined {
  const g = targetGroup(host, iq)
  const now = host.now()
  switch (op.tag) {
    case 'subject': {
      requireEditor(g, actor)
      g.subject = checkSubject(text(op))
      g.subjectOwner = actor.lid
      g.subjectOwnerPn = actor.pn
      g.subjectTime = now
      notifyGroup(host, g, actor, node('subject', { subject: g.subject, s_o: actor.lid, s_o_pn: actor.pn, s_t: String(now) }))
      return
    }
    case 'description': {
      requireEditor(g, actor)
      // `prev` must name the current description, or someone else changed it meanwhile.
      if (op.attrs.prev !== undefined && op.attrs.prev !== g.description?.id) throw new IqError(409, 'conflict')
      if (op.attrs.delete === 'true') {
        g.description = undefined
        notifyGroup(host, g, actor, node('description', { id: host.nextId(), delete: 'true' }))
        return
      }
      const body = text(child(op, 'body')) ?? ''
      if (!body) throw BAD_REQUEST()
      if ([...body].length > MAX_DESCRIPTION) throw new IqError(406, 'not-acceptable')
      g.description = { body, id: op.attrs.id ?? host.nextId(), owner: actor.lid, ownerPn: actor.pn, t: now }
      notifyGroup(host, g, actor, node('description', { id: g.description.id }, [node('body', {}, Buffer.from(body))]))
      return
    }
    case 'announcement':
    case 'not_announcement':
      requireAdmin(g, actor)
      g.announce = op.tag === 'announcement'
      notifyGroup(host, g, actor, node(op.tag))
      return
    case 'locked':
    case 'unlocked':
      requireAdmin(g, actor)
      g.restrict = op.tag === 'locked'
      notifyGroup(host, g, actor, node(op.tag))
      return
    case 'ephemeral':
    case 'not_ephemeral': {
      requireEditor(g, actor)
      const expiration = op.tag === 'ephemeral' ? Number(op.attrs.expiration) : 0
      if (op.tag === 'ephemeral' && !EPHEMERAL_DURATIONS.has(expiration)) throw BAD_REQUEST()
      g.ephemeral = expiration
      notifyGroup(host, g, actor, op.tag === 'ephemeral' ? node('ephemeral', { expiration: String(expiration) }) : node('not_ephemeral'))
      return
    }
    case 'member_add_mode': {
      requireAdmin(g, actor)
      const mode = text(op)
      if (mode !== 'admin_add' && mode !== 'all_member_add') throw BAD_REQUEST()
      g.memberAddMode = mode
      notifyGroup(host, g, actor, node('member_add_mode', {}, mode))
      return
    }
    case 'membership_approval_mode': {
      requireAdmin(g, actor)
      const state = child(op, 'group_join')?.attrs.state
      if (state !== 'on' && state !== 'off') throw BAD_REQUEST()
      g.joinApproval = state === 'on'
      notifyGroup(host, g, actor, node('membership_approval_mode', {}, [node('group_join', { state })]))
      return
    }
    default:
      throw BAD_REQUEST()
  }
}
