// A group as the server keeps it: LID-addressed participants (each with the
// phone jid beside it), roles, settings, invite code and pending requests.
import { randomBytes } from 'node:crypto'

export type Role = 'member' | 'admin' | 'superadmin'

export interface Member {
  /** `x@lid` */
  lid: string
  /** `pn@s.whatsapp.net` */
  pn: string
  role: Role
}

export interface JoinRequest {
  lid: string
  pn: string
  t: number
  method: 'invite_link' | 'linked_group_join' | 'non_admin_add'
}

export interface Description {
  body: string
  id: string
  /** LID of the author, and their phone jid. */
  owner: string
  ownerPn: string
  t: number
}

export class Group {
  readonly jid: string
  subject: string
  subjectOwner: string
  subjectOwnerPn: string
  subjectTime: number
  description: Description | undefined
  announce = false
  restrict = false
  memberAddMode: 'admin_add' | 'all_member_add' = 'admin_add'
  joinApproval = false
  /** Disappearing messages, seconds; 0 = off. */
  ephemeral = 0
  inviteCode = newInviteCode()
  readonly members = new Map<string, Member>()
  readonly requests = new Map<string, JoinRequest>()

  constructor(
    readonly id: string,
    subject: string,
    readonly creator: string,
    readonly creatorPn: string,
    readonly creation: number,
  ) {
    this.jid = `${id}@g.us`
    this.subject = subject
    this.subjectOwner = creator
    this.subjectOwnerPn = creatorPn
    this.subjectTime = creation
  }

  member(lidOrPn: string): Member | undefined {
    const direct = this.members.get(lidOrPn)
    if (direct) return direct
    for (const m of this.members.values()) if (m.pn === lidOrPn) return m
    return undefined
  }

  isAdmin(lidOrPn: string): boolean {
    const r = this.member(lidOrPn)?.role
    return r === 'admin' || r === 'superadmin'
  }

  revokeInvite(): string {
    this.inviteCode = newInviteCode()
    return this.inviteCode
  }
}

export function newInviteCode(): string {
  // Real codes are 22 url-safe characters.
  return randomBytes(16).toString('base64url').slice(0, 22)
}

/** What tests see: a copy, so assertions do not race the server's state. */
export interface GroupView {
  jid: string
  subject: string
  description: string | undefined
  creator: string
  creatorPhone: string
  creation: number
  announce: boolean
  restrict: boolean
  memberAddMode: 'admin_add' | 'all_member_add'
  joinApproval: boolean
  ephemeral: number
  inviteCode: string
  participants: { lid: string; jid: string; phone: string; admin: 'admin' | 'superadmin' | null }[]
  pendingRequests: { lid: string; jid: string }[]
}

export function viewOf(g: Group): GroupView {
  return {
    jid: g.jid,
    subject: g.subject,
    description: g.description?.body,
    creator: g.creator,
    creatorPhone: g.creatorPn.split('@')[0]!,
    creation: g.creation,
    announce: g.announce,
    restrict: g.restrict,
    memberAddMode: g.memberAddMode,
    joinApproval: g.joinApproval,
    ephemeral: g.ephemeral,
    inviteCode: g.inviteCode,
    participants: [...g.members.values()].map((m) => ({
      lid: m.lid,
      jid: m.pn,
      phone: m.pn.split('@')[0]!,
      admin: m.role === 'member' ? null : m.role,
    })),
    pendingRequests: [...g.requests.values()].map((r) => ({ lid: r.lid, jid: r.pn })),
  }
}
