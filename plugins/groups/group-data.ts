import type { GroupInfo, ParticipantFailure } from 'waplug'

/** The spec's snake_case shape of a group. */
export interface GroupData {
  jid: string
  name: string
  description: string
  owner: string
  created_at: number
  participant_count: number
  participants: { jid: string; is_admin: boolean; is_super_admin: boolean }[]
}

export function toGroupData(group: GroupInfo): GroupData {
  return {
    jid: group.jid,
    name: group.subject,
    description: group.description,
    owner: group.owner ?? '',
    created_at: group.createdAt,
    participant_count: group.participants.length,
    participants: group.participants.map((p) => ({ jid: p.jid, is_admin: p.isAdmin, is_super_admin: p.isSuperAdmin })),
  }
}

/** What WhatsApp's per-participant codes mean, for the person who asked. */
const REASONS: Record<number, string> = {
  400: 'WhatsApp rejected this id',
  401: 'they have blocked this number',
  403: 'their privacy settings only let their contacts add them to groups',
  404: 'not on WhatsApp',
  408: 'they left this group recently and cannot be added back yet',
  409: 'already in the group',
  417: 'the group is full',
  419: 'the group is full',
  500: 'WhatsApp could not add them; try again later',
}

export function reasonFor(code: number): string {
  return REASONS[code] ?? `WhatsApp refused with code ${code}`
}

export interface FailedParticipant {
  jid: string
  code: number
  reason: string
}

export function toFailedParticipants(failed: ParticipantFailure[]): FailedParticipant[] {
  return failed.map(({ jid, code }) => ({ jid, code, reason: reasonFor(code) }))
}
