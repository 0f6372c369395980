// Who may do what in a group, and the errors the server answers with.
import type { EmulatorHost } from '../server/host.js'
import { IqError } from '../server/router.js'
import type { BotSession } from '../server/session.js'
import type { BinaryNode } from '../wire/binary-node.js'
import type { Group } from '../world/group.js'
import type { Actor } from './notify.js'

export const NOT_FOUND = (): IqError => new IqError(404, 'item-not-found')
export const FORBIDDEN = (): IqError => new IqError(403, 'forbidden')
export const NOT_ADMIN = (): IqError => new IqError(403, 'not-authorized')
export const BAD_REQUEST = (): IqError => new IqError(400, 'bad-request')

/** The bot whose connection sent the IQ: it acts, and only its membership counts. */
export function botActor(host: EmulatorHost, session: Pick<BotSession, 'bot'>): Actor {
  // A connection that never logged in can only be a test's stand-in for the one bot.
  const bot = session.bot ?? host.world.bot
  if (!bot) throw new IqError(401, 'not-authorized')
  return { lid: bot.lid, pn: bot.jid }
}

/** The group the IQ is addressed to; 404 when there is none. */
export function targetGroup(host: EmulatorHost, iq: BinaryNode): Group {
  const g = host.world.group(iq.attrs.to ?? '')
  if (!g) throw NOT_FOUND()
  return g
}

export function requireMember(g: Group, actor: Actor): void {
  if (!g.members.has(actor.lid)) throw FORBIDDEN()
}

export function requireAdmin(g: Group, actor: Actor): void {
  requireMember(g, actor)
  if (!g.isAdmin(actor.lid)) throw NOT_ADMIN()
}
