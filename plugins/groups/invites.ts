import type { Logger, ParticipantOutcome, WhatsAppClient } from 'waplug'
import { toResult, type ParticipantResult, type ResultAction } from './participant-results.js'

/**
 * Results for the caller, sending each privacy refusal's private invite when
 * asked. An invite that cannot be sent stays offered; the rest still go out.
 */
export async function withInvites(
  whatsapp: WhatsAppClient,
  logger: Logger,
  group: string,
  action: ResultAction,
  outcomes: ParticipantOutcome[],
  send: boolean,
): Promise<ParticipantResult[]> {
  return Promise.all(
    outcomes.map(async (outcome) => {
      if (!send || !outcome.invite) return toResult(action, outcome)
      try {
        await whatsapp.groups.sendInvite(group, outcome.jid, outcome.invite)
        return toResult(action, outcome, true)
      } catch (error) {
        logger.warn({ err: error, to: outcome.jid }, 'could not send a group invite')
        return toResult(action, outcome)
      }
    }),
  )
}
