// Faults a test arms before (or during) a run. The connection consults this
// for what to do with an IQ (delay it, swallow it, or handle it and then lose
// the answer or the connection) and with the bot's next message or receipt
// (lose it, or lose the connection with or after it); the groups module for
// refusals; dropConnection, streamError and silence act on the live session
// right away.
import type { BinaryNode } from '../wire/binary-node.js'
import { iqMatches, type IqMatch } from './router.js'

export type { IqMatch }

/**
 * swallow: never handled nor answered. The others are handled (the change
 * happens on the server) and then: lose-answer, no answer; drop-after, the
 * connection drops instead of answering; restart-after, stream error 515
 * instead of answering.
 */
export type IqAction = 'delay' | 'swallow' | 'lose-answer' | 'drop-after' | 'restart-after'

interface IqRule {
  match: IqMatch
  action: IqAction
  ms: number
}

/**
 * What becomes of the bot's next stanza that matches: it is lost with the
 * connection, lost while the connection stays, or it arrives and the
 * connection fails just after.
 */
export type StanzaFate = 'lost, connection drops' | 'lost, connection stays' | 'arrives, connection drops'

interface FateRule {
  tag: string
  matches: (stanza: BinaryNode) => boolean
  fate: StanzaFate
}

export class FaultState {
  private iqRules: IqRule[] = []
  private readonly refusals = new Map<string, { code: number; text: string }>()
  private fateRules: FateRule[] = []

  delayIq(match: IqMatch, ms: number): void {
    this.iqRules.push({ match, action: 'delay', ms })
  }

  swallowIq(match: IqMatch): void {
    this.iqRules.push({ match, action: 'swallow', ms: 0 })
  }

  loseIqAnswer(match: IqMatch): void {
    this.iqRules.push({ match, action: 'lose-answer', ms: 0 })
  }

  closeAfterIq(match: IqMatch, how: 'drop' | 515): void {
    this.iqRules.push({ match, action: how === 'drop' ? 'drop-after' : 'restart-after', ms: 0 })
  }

  /** The first armed rule for this IQ, if any; rules stay armed until clear(). */
  ruleFor(iq: BinaryNode): { action: IqAction; ms: number } | undefined {
    return this.iqRules.find((r) => iqMatches(r.match, iq))
  }

  /** op is the group IQ's child tag: create, add, remove, promote, demote, subject, ... */
  refuseGroupOp(op: string, code: number, text?: string): void {
    this.refusals.set(op, { code, text: text ?? defaultText(code) })
  }

  refusal(op: string): { code: number; text: string } | undefined {
    return this.refusals.get(op)
  }

  /** Decides the fate of the bot's next `tag` stanza that `matches`. */
  onNext(tag: string, fate: StanzaFate, matches: (stanza: BinaryNode) => boolean = () => true): void {
    this.fateRules.push({ tag, matches, fate })
  }

  /** The fate armed for this stanza from the bot, if any; the rule is used up. */
  fateOf(stanza: BinaryNode): StanzaFate | undefined {
    const i = this.fateRules.findIndex((r) => r.tag === stanza.tag && r.matches(stanza))
    if (i < 0) return undefined
    return this.fateRules.splice(i, 1)[0]?.fate
  }

  clear(): void {
    this.iqRules = []
    this.refusals.clear()
    this.fateRules = []
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
