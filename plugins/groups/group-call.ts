import { isGroupJid, notFound, toGroupJid, WhatsAppError, type Caller } from 'waplug'

/** Runs a call on one group; WhatsApp's "no such group" becomes the 404 the spec names. */
export async function onGroup<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call()
  } catch (error) {
    if (error instanceof WhatsAppError && error.kind === 'not-found') throw notFound('Group not found')
    throw error
  }
}

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
