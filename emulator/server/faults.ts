// Faults a test arms before (or during) a run. The connection consults this
// for IQ delays/swallows; the groups module for refusals; dropConnection and
// streamError act on the live session right away.
import type { BinaryNode } from '../wire/binary-node.js'
import { iqMatches, type IqMatch } from './router.js'

export type { IqMatch }

interface IqRule {
  match: IqMatch
  action: 'delay' | 'swallow'
  ms: number
}

/** A stanza the bot sends that never arrives, taking the connection down with it or not. */
interface LossRule {
  tag: string
  matches: (stanza: BinaryNode) => boolean
  connection: 'drops' | 'stays'
}

export class FaultState {
  private iqRules: IqRule[] = []
  private readonly refusals = new Map<string, { code: number; text: string }>()
  private lossRules: LossRule[] = []

  delayIq(match: IqMatch, ms: number): void {
    this.iqRules.push({ match, action: 'delay', ms })
  }

  swallowIq(match: IqMatch): void {
    this.iqRules.push({ match, action: 'swallow', ms: 0 })
  }

  /** The first armed rule for this IQ, if any; rules stay armed until clear(). */
  ruleFor(iq: BinaryNode): { action: 'delay' | 'swallow'; ms: number } | undefined {
    return this.iqRules.find((r) => iqMatches(r.match, iq))
  }

  /** op is the group IQ's child tag: create, add, remove, promote, demote, subject, ... */
  refuseGroupOp(op: string, code: number, text?: string): void {
    this.refusals.set(op, { code, text: text ?? defaultText(code) })
  }

  refusal(op: string): { code: number; text: string } | undefined {
    return this.refusals.get(op)
  }

  /** The bot's next `tag` stanza that `matches` is lost; with `connection: 'drops'`, the connection fails with it. */
  loseNext(tag: string, connection: 'drops' | 'stays', matches: (stanza: BinaryNode) => boolean = () => true): void {
    this.lossRules.push({ tag, matches, connection })
  }

  /** Whether this stanza from the bot is lost, and what becomes of the connection; the rule is used up. */
  lost(stanza: BinaryNode): 'drops' | 'stays' | undefined {
    const i = this.lossRules.findIndex((r) => r.tag === stanza.tag && r.matches(stanza))
    if (i < 0) return undefined
    const [rule] = this.lossRules.splice(i, 1)
    return rule?.connection
  }

  clear(): void {
    this.iqRules = []
    this.refusals.clear()
    this.lossRules = []
  }
}

export function defaultText(code: number): string {
  switch (code) {
    case 400: return 'bad-request'
    case 401: return 'not-authorized'
    case 403: return 'forbidden'
    case 404: return 'item-not-found'
    case 406: return 'not-acceptable'
    case 409: return 'conflict'
    case 429: return 'rate-overlimit'
    case 500: return 'internal-server-error'
    case 503: return 'service-unavailable'
    default: return 'error'
  }
}
