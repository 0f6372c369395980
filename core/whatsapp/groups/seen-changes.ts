import { normalizeJid } from '../jids.js'
import type { GroupInfo, GroupParticipant, GroupSettings, ParticipantAction, ParticipantOutcome, Person } from './group-types.js'

/**
 * A person's code when WhatsApp's answer was lost and the group, looked at
 * since, does not show the change for them: it may have failed for any of the
 * usual reasons (privacy, not on WhatsApp, ...), or not have happened yet.
 */
export const OUTCOME_UNKNOWN = 504

/**
 * How long before the create was sent a group's creation time may be and
 * still be it: WhatsApp's clock and ours are not the same clock.
 */
const CLOCK_SLACK_SECONDS = 60

const sameAs = (id: string) => (p: Person) => p.jid === id || p.lid === id

export interface CreateSought {
  subject: string
  /** The bot, who created it. */
  me: Person
  /** Unix seconds, by our clock, when the create was sent. */
  sentAt: number
  /** Groups that are someone else's answer: known before the create was sent, or claimed by another create. */
  taken: (jid: string) => boolean
}

/**
 * The group a create whose answer was lost made, if the bot's groups show
 * one: the subject asked for, created by the bot, no earlier than the create
 * (give or take the clocks), and not a group that is another request's.
 * When two qualify, the older is taken, as creates are answered in order.
 */
export function createdGroup(groups: GroupInfo[], sought: CreateSought): GroupInfo | undefined {
  const mine = (owner: string | undefined) => owner !== undefined && [sought.me.jid, sought.me.lid].includes(normalizeJid(owner))
  return groups
    .filter((g) => g.subject === sought.subject && mine(g.owner) && g.createdAt >= sought.sentAt - CLOCK_SLACK_SECONDS && !sought.taken(g.jid))
    .sort((a, b) => a.createdAt - b.createdAt)[0]
}

/** Who of those asked for is not in a group created without its answer: their outcome is unknown. */
export function missingFromCreated(group: GroupInfo, asked: string[]): { jid: string; code: number }[] {
  return asked.filter((id) => !group.participants.some(sameAs(id))).map((jid) => ({ jid, code: OUTCOME_UNKNOWN }))
}

/**
 * Each person's outcome of a participants change whose answer was lost, as the
 * group shows it now: done (200), or already so before (WhatsApp's own 409 or
 * 404 for that), or {@link OUTCOME_UNKNOWN} when the group does not show it.
 */
export function participantOutcomesSeen(action: ParticipantAction, asked: string[], before: GroupInfo | undefined, after: GroupInfo): ParticipantOutcome[] {
  return asked.map((id) => {
    const was = before?.participants.find(sameAs(id))
    const is = after.participants.find(sameAs(id))
    const person = readable(is ?? was, id)
    return { ...person, code: codeSeen(action, was, is) }
  })
}

function codeSeen(action: ParticipantAction, was: GroupParticipant | undefined, is: GroupParticipant | undefined): number {
  switch (action) {
    case 'add':
      return is ? (was ? 409 : 200) : OUTCOME_UNKNOWN
    case 'remove':
      return is ? OUTCOME_UNKNOWN : was ? 200 : 404
    case 'promote':
      if (!is) return 404
      return is.isAdmin ? (was?.isAdmin ? 409 : 200) : OUTCOME_UNKNOWN
    case 'demote':
      if (!is) return 404
      return is.isAdmin ? OUTCOME_UNKNOWN : was && !was.isAdmin ? 409 : 200
  }
}

function readable(member: GroupParticipant | undefined, id: string): Person {
  if (!member) return { jid: id }
  return member.lid ? { jid: member.jid, lid: member.lid } : { jid: member.jid }
}

/** Whether the group shows every setting asked for. */
export function settingsSeen(group: GroupInfo, wanted: Partial<GroupSettings>): boolean {
  return (Object.keys(wanted) as (keyof GroupSettings)[]).every((key) => wanted[key] === undefined || group.settings[key] === wanted[key])
}
