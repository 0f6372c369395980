import { isGroupJid, notFound, timedOut, toGroupJid, WhatsAppError, type ActionErrors, type Caller } from 'waplug'

/**
 * Runs a call on one group; WhatsApp's "no such group" becomes the 404 the
 * spec names. A change whose answer was lost, and which the group does not
 * show either, may still have happened: the caller is told where to look
 * (`lookup`) before sending it again.
 */
export async function onGroup<T>(call: () => Promise<T>, lookup?: string): Promise<T> {
  try {
    return await call()
  } catch (error) {
    if (error instanceof WhatsAppError && error.kind === 'not-found') throw notFound('Group not found')
    if (error instanceof WhatsAppError && error.kind === 'unconfirmed' && lookup) throw timedOut(`${unconfirmed('the change was made')} Check with ${lookup} before trying again`)
    throw error
  }
}

export const unconfirmed = (what: string): string => `WhatsApp's answer never came, so it is not known whether ${what}; it may have been.`

/** Where the caller sees a group as WhatsApp holds it now: the route, or the chat command. */
export const groupLookup = (caller: Caller, jid: string): string => (caller.transport === 'http' ? `GET /groups/${jid}?refresh=true` : `!groupinfo ${jid}`)

/** Where the caller sees the groups the bot is in, asked of WhatsApp again. */
export const groupsLookup = (caller: Caller): string => (caller.transport === 'http' ? 'GET /groups?refresh=true' : '!groups')

/** The group id as given (a jid or a bare id); the schema's format has already checked it. */
export const groupOf = (input: { jid: string }): string => toGroupJid(input.jid) as string

/** In a group, a group command means that group unless it names another. */
export const thisGroup = (caller: Caller): { jid?: string } => (caller.chat && isGroupJid(caller.chat) ? { jid: caller.chat } : {})

/** How to see whether a change to a group took effect, when a restart cut the command off. */
export const checkGroup = (input: { jid?: string }): string => (input.jid ? `groupinfo ${input.jid}` : 'groups')

export const GROUP_JID = { type: 'string', title: 'Group id', format: 'wa-group' } as const

export const PARTICIPANTS = {
  type: 'array',
  title: 'participants',
  minItems: 1,
  maxItems: 1023,
  items: { type: 'string', format: 'wa-user' },
} as const

/** What a call on one group may answer, for the API reference. */
export const GROUP_ERRORS: ActionErrors = {
  403: 'I am not an admin of this group, or not a member of it.',
  404: 'Group not found: the id is wrong, or I am not in the group.',
}

