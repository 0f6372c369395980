import { badRequest, defineAction, toUserJid, type Caller, type ConfirmContext, type ParticipantAction, type WhatsAppClient } from 'waplug'
import { checkGroup, GROUP_ERRORS, GROUP_JID, groupLookup, groupOf, onGroup, PARTICIPANTS, thisGroup } from '../group-call.js'
import { plural, shown } from '../group-data.js'
import { withInvites } from '../invites.js'
import { countMessage, PARTICIPANT_RESULTS_SCHEMA, resultHead, resultLines, someOf, type ParticipantResult } from '../participant-results.js'

interface Input {
  jid: string
  participants: string[]
  send_invite?: boolean
}

interface Output {
  jid: string
  participants: ParticipantResult[]
}

interface Wording {
  command: string
  aliases?: string[]
  summary: string
  /** "Added", for "Added 2 of 3 participants". */
  done: string
  /** "was not added", for one person's refusal in chat. */
  notDone: string
  /** The question before acting: `who` names them ("15550003333", "3 people: a, b, c"), `where` is "this group" or the group's id. */
  confirm?: (who: string, where: string) => string
}

const WORDING: Record<ParticipantAction, Wording> = {
  add: { command: 'add', summary: 'Add people to a group', done: 'Added', notDone: 'was not added' },
  remove: {
    command: 'kick',
    aliases: ['remove'],
    summary: 'Remove people from a group',
    done: 'Removed',
    notDone: 'was not removed',
    confirm: (who, where) => `Remove ${who} from ${where}?`,
  },
  promote: { command: 'promote', summary: 'Make people admins of a group', done: 'Promoted', notDone: 'was not promoted' },
  demote: { command: 'demote', summary: 'Take admin rights away in a group', done: 'Demoted', notDone: 'was not demoted' },
}

/**
 * Removing the bot's own number would make it leave the group without a word:
 * leaving has its own command, which says goodbye and asks first.
 */
function refuseSelf(action: ParticipantAction, input: Input, whatsapp: WhatsAppClient, caller: Caller): void {
  if (action !== 'remove') return
  const me = [whatsapp.me?.jid, whatsapp.me?.lid].flatMap((jid) => (jid ? [toUserJid(jid)] : []))
  if (!input.participants.some((p) => me.includes(toUserJid(p)))) return
  const leave = caller.transport === 'http' ? `POST /groups/${groupOf(input)}/leave` : '!leave'
  throw badRequest(`That is my own number: to make me leave the group, use ${leave}`)
}

function participantsAction(action: ParticipantAction) {
  const words = WORDING[action]
  return defineAction<Input, Output>({
    name: action,
    summary: words.summary,
    access: 'admins',
    input: {
      type: 'object',
      additionalProperties: false,
      required: ['jid', 'participants'],
      properties: {
        jid: GROUP_JID,
        participants: PARTICIPANTS,
        ...(action === 'add' ? { send_invite: { type: 'boolean', title: 'send_invite' } } : {}),
      },
    },
    output: PARTICIPANT_RESULTS_SCHEMA,
    errors: action === 'remove' ? { ...GROUP_ERRORS, 400: 'One of them is my own number: to make me leave, use POST /groups/{jid}/leave.' } : GROUP_ERRORS,
    http: { method: 'POST', path: `/groups/:jid/participants/${action}` },
    chat: { command: words.command, ...(words.aliases ? { aliases: words.aliases } : {}), args: ['jid', '...participants'], fromChat: thisGroup },
    check: checkGroup,
    successMessage: (data) => countMessage(words.done, data.participants),
    failureMessage: `Failed to ${action} participants`,
    ...(words.confirm
      ? {
          confirm: (input: Input, { whatsapp, caller }: ConfirmContext) => {
            refuseSelf(action, input, whatsapp, caller)
            const people = [...new Set(input.participants.map((p) => shown(toUserJid(p) as string)))]
            const who = people.length === 1 ? (people[0] ?? '') : `${plural(people.length, 'person', 'people')} (${someOf(people)})`
            return words.confirm?.(who, caller.chat === groupOf(input) ? 'this group' : groupOf(input)) ?? ''
          },
        }
      : {}),
    async handler(input, { whatsapp, logger, caller }) {
      refuseSelf(action, input, whatsapp, caller)
      const jid = groupOf(input)
      const people = [...new Set(input.participants.map((p) => toUserJid(p) as string))]
      const outcomes = await onGroup(() => whatsapp.groups.participants(jid, action, people), groupLookup(caller, jid))
      return { jid, participants: await withInvites(whatsapp, logger, jid, action, outcomes, input.send_invite === true) }
    },
    reply(data) {
      return [resultHead(words.done, data.participants), ...resultLines(data.participants, words.notDone)].join('\n')
    },
  })
}

export const participantActions = (['add', 'remove', 'promote', 'demote'] as const).map(participantsAction)
