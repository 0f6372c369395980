import 'reflect-metadata'
import { inject, injectable } from 'tsyringe'
import { usageOf, type Caller } from '../actions/action.js'
import type { Invoker } from '../actions/invoke.js'
import type { ActionRegistry, RegisteredAction } from '../actions/registry.js'
import type { Config } from '../config.js'
import { failure, type Envelope } from '../envelope.js'
import type { Logger } from '../logger.js'
import type { EventBus } from '../events/event-bus.js'
import { Tokens } from '../tokens.js'
import type { IncomingMessage, WhatsApp } from '../whatsapp/types.js'
import { mapWords } from './arguments.js'
import { renderReply } from './render.js'
import { tokenize } from './tokenizer.js'

/**
 * Chat transport: a message that starts with a prefix becomes an action call,
 * and the envelope goes back as a reply quoting the command.
 */
@injectable()
export class ChatRouter {
  private unsubscribe: (() => void) | undefined
  private readonly prefixes: string[]
  private readonly inFlight = new Set<Promise<void>>()
  /** Destructive commands waiting for `!confirm`, by chat and sender. */
  private readonly pending = new Map<string, { action: RegisteredAction; input: unknown; expires: number }>()

  constructor(
    @inject(Tokens.Config) private readonly config: Config,
    @inject(Tokens.Logger) private readonly logger: Logger,
    @inject(Tokens.WhatsApp) private readonly whatsapp: WhatsApp,
    @inject(Tokens.Actions) private readonly registry: ActionRegistry,
    @inject(Tokens.Invoker) private readonly invoker: Invoker,
    @inject(Tokens.StartedAt) private readonly startedAt: number,
    @inject(Tokens.Events) private readonly events: EventBus,
  ) {
    // Longest first, so that '!!' wins over '!' when both are configured.
    this.prefixes = [...config.chat.prefixes].sort((a, b) => b.length - a.length)
  }

  start(): void {
    this.unsubscribe = this.whatsapp.onMessage((message) => {
      const handling = this.handle(message).finally(() => this.inFlight.delete(handling))
      this.inFlight.add(handling)
    })
  }

  /** Stops taking commands and waits for the ones already running. */
  async stop(): Promise<void> {
    this.unsubscribe?.()
    await this.idle()
  }

  /** Resolves when every command received so far has been answered. */
  async idle(): Promise<void> {
    while (this.inFlight.size) await Promise.allSettled([...this.inFlight])
  }

  /** Handles one message; never throws. */
  async handle(message: IncomingMessage): Promise<void> {
    try {
      await this.route(message)
    } catch (error) {
      this.logger.error({ err: error, requestId: message.id }, 'chat command failed')
    }
  }

  /**
   * Plugins' 'message' handlers get what did not run a command, unknown commands
   * included, but never the bot's own messages: a plugin that answers every
   * message must not hear its own answers.
   */
  private notACommand(message: IncomingMessage): void {
    if (!message.fromMe) this.events.publish('message', message)
  }

  private async route(message: IncomingMessage): Promise<void> {
    if (message.fromMe && !this.config.chat.selfCommands) return
    // The offline backlog: commands sent while the bot was down are stale by now.
    if (message.timestamp * 1000 < this.startedAt - 1000) return
    const text = message.text.trimStart()
    const prefix = this.prefixes.find((p) => text.startsWith(p))
    if (prefix === undefined) return this.notACommand(message)
    const [name, ...words] = tokenize(text.slice(prefix.length))
    if (!name) return this.notACommand(message)
    const log = this.logger.child({ requestId: message.id, chat: message.chat, from: message.sender })
    if (name.toLowerCase() === 'confirm') return this.confirm(message, prefix, log)
    const action = this.registry.byCommand(name)
    const chat = action?.definition.chat
    if (!action || !chat) {
      this.notACommand(message)
      // In groups other bots may share the prefix, so only a private chat hears about typos.
      if (!message.isGroup) await this.reply(message, `I don't know ${prefix}${name}. Send ${this.config.chat.prefixes[0] ?? '!'}help to see what I can do.`)
      return
    }
    log.info({ command: name }, 'command received')
    const definition = action.definition
    const caller = await this.callerOf(message)
    const usage = usageOf(prefix, definition)
    const mapped = mapWords(words, chat, definition.input, message.mentions)
    // A caller who may not run the command learns that, not its usage.
    if (!mapped.ok && this.invoker.mayRun(action, caller)) return this.reply(message, renderReply(failure(400, mapped.error), { usage }))
    const input = { ...(chat.fromChat?.(caller) ?? {}), ...(mapped.ok ? mapped.input : {}) }
    const result = await this.invoker.invoke(action, input, caller, { words: true })
    if (result.pending) {
      this.pending.set(pendingKey(message), { action, input: result.pending.input, expires: Date.now() + this.config.chat.confirmSeconds * 1000 })
      return this.reply(message, `⚠️ ${result.pending.question}\nSend ${prefix}confirm within ${this.config.chat.confirmSeconds} s to go ahead.`)
    }
    await this.reply(message, this.render(action, result.envelope, input, usage))
  }

  /** `!confirm`: runs the destructive command this person asked for in this chat, if it has not expired. */
  private async confirm(message: IncomingMessage, prefix: string, log: Logger): Promise<void> {
    const key = pendingKey(message)
    const pending = this.pending.get(key)
    this.pending.delete(key)
    if (!pending || pending.expires < Date.now()) {
      return this.reply(message, `❌ Nothing to confirm: ${prefix}confirm answers a question I asked you in this chat in the last ${this.config.chat.confirmSeconds} s`)
    }
    log.info({ action: pending.action.id }, 'command confirmed')
    const { envelope } = await this.invoker.invoke(pending.action, pending.input, await this.callerOf(message), { confirmed: true })
    await this.reply(message, this.render(pending.action, envelope, pending.input, usageOf(prefix, pending.action.definition)))
  }

  private render(action: RegisteredAction, envelope: Envelope, input: unknown, usage: string): string {
    const successText = envelope.status && action.definition.reply ? action.definition.reply(envelope.data, input as never) : undefined
    return renderReply(envelope, { usage, ...(successText === undefined ? {} : { successText }) })
  }

  private async callerOf(message: IncomingMessage): Promise<Caller> {
    // A command typed on the bot's own phone comes from whoever holds the number.
    const isOwner = message.fromMe || this.config.owners.includes(message.sender)
    return {
      transport: 'chat',
      requestId: message.id,
      jid: message.sender,
      chat: message.chat,
      isOwner,
      ...(message.isGroup && !isOwner ? { isGroupAdmin: await this.isGroupAdmin(message) } : {}),
    }
  }

  private async isGroupAdmin(message: IncomingMessage): Promise<boolean> {
    try {
      const group = await this.whatsapp.groups.info(message.chat)
      return group.participants.some((p) => p.isAdmin && (p.jid === message.sender || p.lid === message.sender))
    } catch (error) {
      this.logger.warn({ err: error, chat: message.chat }, 'could not tell whether the sender is a group admin')
      return false
    }
  }

  private async reply(message: IncomingMessage, text: string): Promise<void> {
    if (this.whatsapp.state !== 'open' || text === '') return
    await this.whatsapp.sendText(message.chat, text, { quoted: message })
  }
}

const pendingKey = (message: IncomingMessage): string => `${message.chat} ${message.sender}`
