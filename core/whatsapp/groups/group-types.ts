/** A person as the runtime shows them: the phone jid where known, the lid beside it. */
export interface Person {
  jid: string
  lid?: string
}

export interface GroupParticipant extends Person {
  isAdmin: boolean
  isSuperAdmin: boolean
}

/** The settings of a group, in words rather than WhatsApp's flags. */
export interface GroupSettings {
  /** Only admins may send messages ("announcement"). */
  onlyAdminsSend: boolean
  /** Only admins may edit the subject, description and settings ("locked"). */
  onlyAdminsEdit: boolean
  /** Only admins may add members (else every member may). */
  onlyAdminsAdd: boolean
  /** Joining by link needs an admin's approval. */
  joinApproval: boolean
  /** Disappearing messages timer in seconds; 0 when off. */
  disappearingSeconds: number
}

export interface GroupInfo {
  jid: string
  subject: string
  description: string
  /** WhatsApp's id of the current description; a change must name it. */
  descriptionId?: string
  owner?: string
  /** Unix seconds. */
  createdAt: number
  size: number
  participants: GroupParticipant[]
  settings: GroupSettings
  /** LID groups address members by lid; Baileys needs to know when it sends. */
  addressingMode: 'lid' | 'pn'
}

/** A participant WhatsApp did not add, with its per-participant code (403, 404, 409, ...). */
export interface ParticipantFailure {
  jid: string
  lid?: string
  code: number
  /** A privacy refusal comes with an invite the adder may send the person instead. */
  invite?: { code: string; expiration: number }
}

export interface GroupCreateResult {
  group: GroupInfo
  failed: ParticipantFailure[]
}

export type ParticipantAction = 'add' | 'remove' | 'promote' | 'demote'

/** What happened to one person of a participants call: code 200, or WhatsApp's refusal. */
export interface ParticipantOutcome extends Person {
  code: number
  invite?: { code: string; expiration: number }
}

export interface JoinRequest extends Person {
  /** Unix seconds. */
  requestedAt: number
  /** How they asked: `invite_link`, `linked_group_join`, `non_admin_add`. */
  method?: string
}

export interface JoinResult {
  jid: string
  /** The group needs an admin's approval; the bot asked to join. */
  pending: boolean
}

export type ParticipantsChange = 'joined' | 'left' | 'promoted' | 'demoted'

/** Something happened in a group the bot is in, told by WhatsApp's group notifications. */
export type GroupEvent = (
  | { type: 'participants'; group: string; change: ParticipantsChange; participants: Person[]; by?: Person }
  | { type: 'updated'; group: string; subject?: string; description?: string; settings?: Partial<GroupSettings>; by?: Person }
) & {
  /** The session whose number saw it; set on every event plugins hear. */
  session?: string
}

/**
 * Every group operation the runtime offers. Reads are answered from a cache kept
 * fresh by WhatsApp's notifications and our own writes; calls to WhatsApp are
 * paced so the number is not rate-limited. Ids may be phone numbers' jids or lids.
 */
export interface GroupClient {
  /** The groups the bot is in, from the cache; `refresh` asks WhatsApp again (one call for all). */
  list(options?: { refresh?: boolean }): Promise<GroupInfo[]>
  info(jid: string, options?: { refresh?: boolean }): Promise<GroupInfo>
  create(subject: string, participants: string[]): Promise<GroupCreateResult>
  participants(jid: string, action: ParticipantAction, participants: string[]): Promise<ParticipantOutcome[]>
  leave(jid: string): Promise<void>
  setSubject(jid: string, subject: string): Promise<void>
  /** An empty description removes it. */
  setDescription(jid: string, description: string): Promise<void>
  updateSettings(jid: string, settings: Partial<GroupSettings>): Promise<GroupSettings>
  inviteCode(jid: string): Promise<string>
  /** Makes the old link stop working; returns the new code. */
  revokeInvite(jid: string): Promise<string>
  /** The group an invite code points to, without joining it. */
  inviteInfo(code: string): Promise<GroupInfo>
  join(code: string): Promise<JoinResult>
  joinRequests(jid: string): Promise<JoinRequest[]>
  answerJoinRequests(jid: string, action: 'approve' | 'reject', participants: string[]): Promise<ParticipantOutcome[]>
  /** Sends `to` the private invite WhatsApp handed back when their privacy refused an add. */
  sendInvite(jid: string, to: string, invite: { code: string; expiration: number }): Promise<void>
}
