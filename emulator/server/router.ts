// The seam between the transport and everything that answers stanzas.
// Handlers register by what they answer (an IQ's xmlns/type/first child tag,
// or a stanza tag such as "message"); the connection only decrypts, decodes
// and hands each node here. Later registrations win, so a module can
// override a default answer without editing it.
import type { BinaryNode } from '../wire/binary-node.js'
import { firstChild, node as mkNode } from '../wire/binary-node.js'
import type { BotSession } from './session.js'

/** What an IQ looks like; every given field must match. */
export interface IqMatch {
  xmlns?: string
  type?: 'get' | 'set' | 'result' | 'error'
  /** Tag of the IQ's first child, e.g. "usync", "count", "create". */
  child?: string
  /** The IQ's `to`, e.g. "s.whatsapp.net" or a group jid; "@g.us" matches the groups server and every group jid. */
  to?: string
}

/**
 * An IQ handler's return value is the content of `<iq type="result">`:
 * a node, a list of nodes, or nothing. Returning a node tagged "iq" sends
 * it as the whole reply (its id and to are filled in when missing).
 * Throw an IqError to reply `<iq type="error"><error code text/></iq>`.
 */
export type IqReply = BinaryNode | BinaryNode[] | undefined
export type IqHandler = (iq: BinaryNode, session: BotSession) => IqReply | Promise<IqReply>
/** Return true to stop later handlers of the same tag from running. */
export type StanzaHandler = (stanza: BinaryNode, session: BotSession) => boolean | void | Promise<boolean | void>

export class IqError extends Error {
  constructor(
    readonly code: number,
    readonly text: string,
  ) {
    super(`${code} ${text}`)
  }
}

export function iqMatches(m: IqMatch, iq: BinaryNode): boolean {
  if (m.xmlns !== undefined && iq.attrs.xmlns !== m.xmlns) return false
  if (m.type !== undefined && iq.attrs.type !== m.type) return false
  if (m.child !== undefined && firstChild(iq)?.tag !== m.child) return false
  if (m.to !== undefined) {
    const to = iq.attrs.to ?? ''
    const groupWildcard = m.to === '@g.us' && to.endsWith('@g.us')
    if (to !== m.to && !groupWildcard) return false
  }
  return true
}

export class Router {
  private readonly iqs: { match: IqMatch; handler: IqHandler }[] = []
  private readonly stanzas = new Map<string, StanzaHandler[]>()

  /** Answer IQs matching `match`. Returns a function that unregisters it. */
  iq(match: IqMatch, handler: IqHandler): () => void {
    const entry = { match, handler }
    this.iqs.push(entry)
    return () => {
      const i = this.iqs.indexOf(entry)
      if (i >= 0) this.iqs.splice(i, 1)
    }
  }

  /** Handle non-IQ stanzas by tag: message, receipt, ack, notification, presence, ib, call, chatstate. */
  on(tag: string, handler: StanzaHandler): () => void {
    const list = this.stanzas.get(tag) ?? []
    list.unshift(handler)
    this.stanzas.set(tag, list)
    return () => {
      const l = this.stanzas.get(tag)
      const i = l?.indexOf(handler) ?? -1
      if (l && i >= 0) l.splice(i, 1)
    }
  }

  findIq(iq: BinaryNode): IqHandler | undefined {
    for (let i = this.iqs.length - 1; i >= 0; i--) {
      const e = this.iqs[i]!
      if (iqMatches(e.match, iq)) return e.handler
    }
    return undefined
  }

  stanzaHandlers(tag: string): readonly StanzaHandler[] {
    return this.stanzas.get(tag) ?? []
  }
}

export function iqResult(iq: BinaryNode, reply: IqReply): BinaryNode {
  if (reply && !Array.isArray(reply) && reply.tag === 'iq') {
    return { ...reply, attrs: { id: iq.attrs.id ?? '', from: iq.attrs.to ?? 's.whatsapp.net', ...reply.attrs } }
  }
  const content = reply === undefined ? undefined : Array.isArray(reply) ? reply : [reply]
  return mkNode('iq', { id: iq.attrs.id, from: iq.attrs.to ?? 's.whatsapp.net', type: 'result' }, content)
}

export function iqErrorReply(iq: BinaryNode, code: number, text: string): BinaryNode {
  return mkNode('iq', { id: iq.attrs.id, from: iq.attrs.to ?? 's.whatsapp.net', type: 'error' }, [
    mkNode('error', { code: String(code), text }),
  ])
}
