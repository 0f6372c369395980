import { OUTCOME_UNKNOWN, type JsonSchema, type ParticipantAction, type ParticipantOutcome } from 'waplug'
import { plural, shown, withLid } from './group-data.js'

export type ResultAction = ParticipantAction | 'create' | 'approve' | 'reject'

/** One person's result, for the caller: `status` 200 when it worked, else WhatsApp's code and why in words. */
export interface ParticipantResult {
  jid: string
  lid?: string
  status: number
  reason: string
  /** A privacy refusal's private invite: offered, or sent when `send_invite` was asked for. */
  invite?: { code: string; expires_at: number; sent: boolean }
}

/** One person's result, as the API reference shows it. */
export const PARTICIPANT_RESULT_SCHEMA: JsonSchema = {
  type: 'object',
  required: ['jid', 'status', 'reason'],
  properties: {
    jid: { type: 'string' },
    lid: { type: 'string' },
    status: { type: 'integer', description: "200 when it worked for this person; otherwise WhatsApp's code (403: their privacy settings, 404: not on WhatsApp, 409: already there…)." },
    reason: { type: 'string', description: 'What happened, in words.' },
    invite: {
      type: 'object',
      description: 'When their privacy settings refused it: an invite to send them instead (sent when `send_invite` was true).',
      required: ['code', 'expires_at', 'sent'],
      properties: { code: { type: 'string' }, expires_at: { type: 'integer' }, sent: { type: 'boolean' } },
    },
  },
}

/** What the participant actions answer: the group, and each person's result. */
export const PARTICIPANT_RESULTS_SCHEMA: JsonSchema = {
  type: 'object',
  required: ['jid', 'participants'],
  properties: { jid: { type: 'string' }, participants: { type: 'array', items: PARTICIPANT_RESULT_SCHEMA } },
}

const DONE: Record<ResultAction, string> = {
  create: 'added',
  add: 'added',
  remove: 'removed',
  promote: 'now an admin',
  demote: 'no longer an admin',
  approve: 'request approved; now a member',
  reject: 'request rejected',
}

/** What WhatsApp's per-participant codes mean, for the person who asked. */
const REFUSED: Record<number, string> = {
  400: 'WhatsApp rejected this id',
  401: 'they have blocked this number',
  403: 'their privacy settings only let their contacts add them to groups',
  404: 'not on WhatsApp',
  406: "the group's creator cannot be changed by others",
  408: 'they left this group recently and cannot be added back yet',
  409: 'already in the group',
  417: 'the group is full',
  419: 'the group is full',
  500: 'WhatsApp could not do it; try again later',
  [OUTCOME_UNKNOWN]: "not done as far as the group shows; WhatsApp's answer never came, so why is unknown",
}

/** Codes that mean something else depending on what was asked. */
const REFUSED_FOR: Partial<Record<ResultAction, Record<number, string>>> = {
  remove: { 404: 'not in the group' },
  promote: { 404: 'not in the group', 409: 'already an admin' },
  demote: { 404: 'not in the group', 409: 'not an admin' },
  approve: { 404: 'has not asked to join' },
  reject: { 404: 'has not asked to join' },
}

export function reasonFor(action: ResultAction, code: number): string {
  if (code === 200) return DONE[action]
  return REFUSED_FOR[action]?.[code] ?? REFUSED[code] ?? `WhatsApp refused with code ${code}`
}

export function toResult(action: ResultAction, outcome: ParticipantOutcome, sent = false): ParticipantResult {
  // Added to, not spread from, withLid(): in Node 20's V8 the spread takes the slow path, about 1 µs a person.
  const result: ParticipantResult = Object.assign(withLid(outcome), { status: outcome.code, reason: reasonFor(action, outcome.code) })
  if (outcome.invite) {
    result.invite = { code: outcome.invite.code, expires_at: outcome.invite.expiration, sent }
    result.reason += sent ? ' — an invite was sent to them' : ' — WhatsApp offers an invite to send them instead (send_invite: true)'
  }
  return result
}

export const succeeded = (results: ParticipantResult[]): number => results.filter((r) => r.status === 200).length

/** "Added 2 of 3 participants", for the envelope message. */
export function countMessage(verb: string, results: ParticipantResult[]): string {
  return `${verb} ${succeeded(results)} of ${plural(results.length, 'participant')}`
}

/** At most this many people are named in one line of a chat reply. */
const NAMED = 20
/** Fewer per reason, since a reply may hold several reasons. */
const NAMED_PER_REASON = 10

/** "a, b, c and 5 more": at most `NAMED` of them. */
export function someOf(names: string[], named = NAMED): string {
  if (names.length <= named) return names.join(', ')
  return `${names.slice(0, named).join(', ')} and ${names.length - named} more`
}

/** The first line of a chat reply: ✅ when it worked for everyone, ⚠️ for some, ❌ for none; then who it worked for. */
export function resultHead(verb: string, results: ParticipantResult[]): string {
  const ok = succeeded(results)
  const mark = ok === results.length ? '✅' : ok === 0 ? '❌' : '⚠️'
  const done = results.filter((r) => r.status === 200).map((r) => shown(r.jid))
  return `${mark} ${countMessage(verb, results)}${done.length ? `: ${someOf(done)}` : ''}`
}

/**
 * For chat, who it did not work for, by reason: one line per reason, so that
 * 300 numbers not on WhatsApp are one line, naming the first few. The chat's
 * own hint replaces the JSON option name.
 */
export function resultLines(results: ParticipantResult[], failedVerb: string): string[] {
  const byReason = new Map<string, string[]>()
  for (const r of results) {
    if (r.status === 200) continue
    const reason = r.reason.replace('(send_invite: true)', '(add --send-invite)')
    byReason.set(reason, [...(byReason.get(reason) ?? []), shown(r.jid)])
  }
  return [...byReason].map(([reason, people]) =>
    people.length === 1
      ? `• ${people[0] ?? ''} ${failedVerb}: ${reason}`
      : `• ${people.length} people ${failedVerb.replace(/^was /, 'were ')}: ${reason} (${someOf(people, NAMED_PER_REASON)})`,
  )
}
