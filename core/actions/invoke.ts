import 'reflect-metadata'
import { inject, injectable } from 'tsyringe'
import type { Config } from '../config.js'
import { failure, success, type Envelope } from '../envelope.js'
import { WaplugError } from '../errors.js'
import type { Logger } from '../logger.js'
import { Tokens } from '../tokens.js'
import type { SessionManager } from '../sessions/manager.js'
import { DEFAULT_SESSION } from '../sessions/session-id.js'
import type { Session } from '../sessions/session.js'
import { WhatsAppError } from '../whatsapp/types.js'
import { UnansweredError } from '../whatsapp/unanswered.js'
import { Cooldowns, placeRefusal } from './access.js'
import { usageOf, type AccessLevel, type Caller, type CommandInfo } from './action.js'
import type { ActionRegistry, RegisteredAction } from './registry.js'

export interface InvokeResult {
  envelope: Envelope
  /** Response headers an error asks for, e.g. Retry-After. */
  headers: Record<string, string>
  /** The action waits for the caller's confirmation; run it again with `confirmed` and this input. */
  pending?: { question: string; input: unknown }
}

/** What became of one action call, for whoever listens (the command.handled event). */
export interface Invoked {
  action: string
  caller: Caller
  code: number
  ms: number
}

export interface InvokeOptions {
  /** Chat words and query strings are text: let the schema coerce them. */
  words?: boolean
  /** The chat caller confirmed a destructive action. */
  confirmed?: boolean
}

/**
 * The one pipeline every transport goes through: access → validation →
 * WhatsApp state → handler (with a time limit) → envelope. Nothing thrown
 * inside ever escapes it; unexpected errors are logged and reported as the
 * action's failure message, never with their own text.
 */
@injectable()
export class Invoker {
  private readonly cooldowns = new Cooldowns()
  private readonly listeners = new Set<(invoked: Invoked) => void>()

  constructor(
    @inject(Tokens.Config) private readonly config: Config,
    @inject(Tokens.Logger) private readonly logger: Logger,
    @inject(Tokens.Sessions) private readonly sessions: SessionManager,
    @inject(Tokens.Actions) private readonly registry: ActionRegistry,
  ) {}

  /** Hears every finished call (not those waiting for a confirmation); returns an unsubscribe. */
  onInvoked(listener: (invoked: Invoked) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  accessOf(action: RegisteredAction): AccessLevel {
    const command = action.definition.chat?.command
    return (command && this.config.chat.access[command]) || action.definition.access || 'owner'
  }

  mayRun(action: RegisteredAction, caller: Caller): boolean {
    if (caller.transport === 'http' || caller.isOwner) return true
    // A plugin's allow list replaces the access levels of all its commands.
    const allowed = this.config.chat.allow[action.plugin]
    if (allowed) return caller.jid !== undefined && allowed.includes(caller.jid)
    const access = this.accessOf(action)
    return access === 'everyone' || (access === 'admins' && caller.isGroupAdmin === true)
  }

  private commandText(action: RegisteredAction, session: Session | undefined): string {
    return `${prefixOf(session, this.config)}${action.definition.chat?.command ?? action.id}`
  }

  private refusal(action: RegisteredAction, session: Session | undefined): string {
    const command = this.commandText(action, session)
    if (this.config.chat.allow[action.plugin]) return `Only the bot's owners and the people they allow may use ${command}; ask an owner`
    return this.accessOf(action) === 'admins'
      ? `Only the bot's owners and the group's admins may use ${command}, and admins only inside their group`
      : `Only the bot's owners may use ${command}`
  }

  commandsFor(caller: Caller): CommandInfo[] {
    const session = this.sessions.get(caller.session)
    const prefix = prefixOf(session, this.config)
    return this.registry
      .list()
      .filter((action) => action.definition.chat && (session?.serves(action.plugin) ?? true) && this.mayRun(action, caller))
      .map((action) => ({
        command: action.definition.chat?.command ?? '',
        aliases: action.definition.chat?.aliases ?? [],
        summary: action.definition.summary,
        usage: usageOf(prefix, action.definition),
        plugin: action.plugin,
      }))
      .concat({
        // The runtime's own command: it answers the question a destructive command asks.
        command: 'confirm',
        aliases: [],
        summary: `Go ahead with the command I just asked you about; send it within ${this.config.chat.confirmSeconds} s, in the same chat`,
        usage: `${prefix}confirm`,
        plugin: 'runtime',
      })
  }

  async invoke(action: RegisteredAction, input: unknown, caller: Caller, options: InvokeOptions = {}): Promise<InvokeResult> {
    const started = performance.now()
    // Made when something logs: most HTTP calls succeed, and their request line (core/http/request-log.ts) already says so.
    let child: Logger | undefined
    const log = (): Logger => (child ??= this.logger.child({ requestId: caller.requestId, action: action.id, transport: caller.transport, session: caller.session }))
    const result = await this.run(action, input, caller, options, log)
    const ms = Math.round((performance.now() - started) * 10) / 10
    const { envelope } = result
    if (result.pending) log().info({ ms }, 'action waits for confirmation')
    // Over HTTP the request's own line names the action and its status: a second line per request would only repeat it.
    else if (envelope.status) {
      const level = caller.transport === 'http' ? 'debug' : 'info'
      if (this.logger.isLevelEnabled(level)) log()[level]({ code: envelope.code, ms }, 'action succeeded')
    } else log().info({ code: envelope.code, ms, error: envelope.error }, 'action refused or failed')
    if (!result.pending) {
      for (const listener of this.listeners) {
        try {
          listener({ action: action.id, caller, code: envelope.code, ms })
        } catch (error) {
          log().error({ err: error }, 'a listener of finished actions failed')
        }
      }
    }
    return result
  }

  private async run(action: RegisteredAction, input: unknown, caller: Caller, options: InvokeOptions, log: () => Logger): Promise<InvokeResult> {
    const definition = action.definition
    const session = this.sessions.get(caller.session)
    if (!session) return fail(404, `There is no session '${caller.session}'; GET /sessions lists them`)
    if (!session.serves(action.plugin)) return fail(404, `The plugin '${action.plugin}' is turned off for session '${session.id}'`)
    if (!this.mayRun(action, caller)) {
      return fail(403, this.refusal(action, session))
    }
    const misplaced = placeRefusal(definition.where, caller, this.commandText(action, session))
    if (misplaced) return this.mapError(misplaced, definition.failureMessage, log)
    const checked = (options.words ? action.validateWords : action.validate)(input ?? {}, caller.transport === 'chat' ? 'chat' : 'api')
    if (!checked.ok) return fail(400, checked.error)
    if (definition.confirm && caller.transport === 'chat' && !options.confirmed) {
      let question: string
      try {
        question = definition.confirm(checked.value as never, { caller, whatsapp: session.client })
      } catch (error) {
        return this.mapError(error, definition.failureMessage, log)
      }
      return { envelope: success(question, null, 202), headers: {}, pending: { question, input: checked.value } }
    }
    if (definition.needsWhatsApp !== false && session.state !== 'open') return fail(503, notConnected(session))
    // Last before the handler, so a typo or a closed connection costs no cooldown.
    const resting = this.cooldowns.take(action.id, definition.cooldown, caller, this.commandText(action, session))
    if (resting) return this.mapError(resting, definition.failureMessage, log)

    // An AbortController costs more than the rest of this call's set-up, and most handlers never look at
    // their signal: it is made when a handler first reads it, and aborted at the deadline if it was.
    let controller: AbortController | undefined
    const context = {
      caller,
      get logger() {
        return log()
      },
      whatsapp: session.client,
      get signal() {
        return (controller ??= new AbortController()).signal
      },
      commands: () => this.commandsFor(caller),
    }
    let timer: NodeJS.Timeout | undefined
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        // Rejected before the abort: a handler that wraps up when aborted still ran out of time, and the caller hears so.
        reject(new WaplugError(504, `${definition.failureMessage}: it did not finish within ${this.config.actions.timeoutMs} ms`))
        controller?.abort()
      }, this.config.actions.timeoutMs)
    })
    try {
      const data = await Promise.race([Promise.resolve(definition.handler(checked.value as never, context)), deadline])
      const message = typeof definition.successMessage === 'function' ? definition.successMessage(data, checked.value as never) : definition.successMessage
      return { envelope: success(message, data), headers: {} }
    } catch (error) {
      return this.mapError(error, definition.failureMessage, log)
    } finally {
      clearTimeout(timer)
    }
  }

  private mapError(error: unknown, failureMessage: string, log: () => Logger): InvokeResult {
    if (error instanceof WaplugError) return { envelope: failure(error.code, error.reason), headers: error.headers }
    if (error instanceof WhatsAppError) {
      log().warn({ err: error, kind: error.kind }, 'WhatsApp refused or failed')
      switch (error.kind) {
        case 'not-connected':
          return fail(
            503,
            error instanceof UnansweredError
              ? 'The connection to WhatsApp closed before it answered; it reconnects by itself, so try again in a few seconds'
              : 'WhatsApp is not connected',
          )
        case 'timeout':
          return fail(504, 'WhatsApp did not answer in time; try again')
        case 'unconfirmed':
          return fail(504, `${error.message}. Check before trying again`)
        case 'rate-limited': {
          const seconds = error.retryAfterSeconds ?? 60
          return {
            envelope: failure(429, `WhatsApp limits how often this number may do that; try again in ${seconds} seconds`),
            headers: { 'Retry-After': String(seconds) },
          }
        }
        case 'not-authorized':
          return fail(403, 'I need to be an admin of this group to do that')
        case 'not-member':
          return fail(403, 'I am not a member of this group')
        default:
          return fail(500, failureMessage)
      }
    }
    log().error({ err: error }, 'action failed unexpectedly')
    return fail(500, failureMessage)
  }
}

function prefixOf(session: Session | undefined, config: Config): string {
  return (session?.chat.prefixes ?? config.chat.prefixes)[0] ?? '!'
}

/** The default session keeps the words the seed's clients know. */
function notConnected(session: Session): string {
  return session.id === DEFAULT_SESSION ? 'WhatsApp is not connected' : `WhatsApp is not connected for session '${session.id}' (${session.state})`
}

function fail(code: number, error: string): InvokeResult {
  return { envelope: failure(code, error), headers: {} }
}
