// Faults a test arms before (or during) a run. The connection consults this
// for what to do with an IQ (delay it, swallow it, or handle it and then lose
// the answer or the connection) and with the bot's next message or receipt
// (lose it, or lose the connection with or after it); the groups module for
// refusals; dropConnection, streamError and silence act on the live session
// right away.
//
// Each armed rule has a scope: a bot's phone (it applies to that bot's
// connections only), or none, which keeps the single-bot meaning: the first
// bot's connections and any not logged in yet (pairing).
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

/** A bot's phone, or undefined for the first bot (and connections not logged in yet). */
export type FaultScope = string | undefined

/** What a rule needs to know of a connection: whose it is. */
export interface FaultTarget {
  readonly bot: { readonly phone: string } | undefined
}

interface IqRule {
  match: IqMatch
  action: IqAction
  ms: number
  scope: FaultScope
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
  scope: FaultScope
}

interface Refusal {
  op: string
  code: number
  text: string
  scope: FaultScope
}

export class FaultState {
  private iqRules: IqRule[] = []
  private refusals: Refusal[] = []
  private fateRules: FateRule[] = []

  /** `firstBot`: the phone of the first bot, which unscoped rules act on. */
  constructor(private readonly firstBot: () => string | undefined = () => undefined) {}

  delayIq(match: IqMatch, ms: number, scope?: FaultScope): void {
    this.iqRules.push({ match, action: 'delay', ms, scope })
  }

  swallowIq(match: IqMatch, scope?: FaultScope): void {
    this.iqRules.push({ match, action: 'swallow', ms: 0, scope })
  }

  loseIqAnswer(match: IqMatch, scope?: FaultScope): void {
    this.iqRules.push({ match, action: 'lose-answer', ms: 0, scope })
  }

  closeAfterIq(match: IqMatch, how: 'drop' | 515, scope?: FaultScope): void {
    this.iqRules.push({ match, action: how === 'drop' ? 'drop-after' : 'restart-after', ms: 0, scope })
  }

  /** The first armed rule for this IQ on this connection, if any; rules stay armed until clear(). */
  ruleFor(iq: BinaryNode, on: FaultTarget): { action: IqAction; ms: number } | undefined {
    return this.iqRules.find((r) => this.applies(r.scope, on) && iqMatches(r.match, iq))
  }

  /** op is the group IQ's child tag: create, add, remove, promote, demote, subject, ... */
  refuseGroupOp(op: string, code: number, text?: string, scope?: FaultScope): void {
    this.refusals = this.refusals.filter((r) => r.op !== op || r.scope !== scope)
    this.refusals.push({ op, code, text: text ?? defaultText(code), scope })
  }

  refusal(op: string, on: FaultTarget): { code: number; text: string } | undefined {
    return this.refusals.find((r) => r.op === op && this.applies(r.scope, on))
  }

  /** Decides the fate of the bot's next `tag` stanza that `matches`. */
  onNext(tag: string, fate: StanzaFate, matches: (stanza: BinaryNode) => boolean = () => true, scope?: FaultScope): void {
    this.fateRules.push({ tag, matches, fate, scope })
  }

  /** The fate armed for this stanza from a bot, if any; the rule is used up. */
  fateOf(stanza: BinaryNode, on: FaultTarget): StanzaFate | undefined {
    const i = this.fateRules.findIndex((r) => r.tag === stanza.tag && this.applies(r.scope, on) && r.matches(stanza))
    if (i < 0) return undefined
    return this.fateRules.splice(i, 1)[0]?.fate
  }

  /** Disarms every rule, whatever its scope. */
  clear(): void {
    this.iqRules = []
    this.refusals = []
    this.fateRules = []
  }

  /** Disarms the rules armed with this scope only. */
  clearScope(scope: FaultScope): void {
    this.iqRules = this.iqRules.filter((r) => r.scope !== scope)
    this.refusals = this.refusals.filter((r) => r.scope !== scope)
    this.fateRules = this.fateRules.filter((r) => r.scope !== scope)
  }

  private applies(scope: FaultScope, on: FaultTarget): boolean {
    if (scope !== undefined) return on.bot?.phone === scope
    return on.bot === undefined || on.bot.phone === this.firstBot()
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
