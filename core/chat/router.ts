import { randomUUID } from 'node:crypto'
import { usageOf, type Caller } from '../actions/action.js'
import type { Invoker } from '../actions/invoke.js'
import type { ActionRegistry, RegisteredAction } from '../actions/registry.js'
import type { Config } from '../config.js'
import { failure, type Envelope } from '../envelope.js'
import type { Logger } from '../logger.js'
import type { EventBus } from '../events/event-bus.js'
import type { Session } from '../sessions/session.js'
import type { PluginStore } from '../storage/plugin-store.js'
import { storableMessage } from '../whatsapp/incoming-message.js'
import type { IncomingMessage, WhatsApp } from '../whatsapp/types.js'
import { mapWords, type CommandWords } from './arguments.js'
import { tooOldToAnswer } from './backlog.js'
import { HandledLedger } from './handled-ledger.js'
import { interruptedNotice } from './interrupted.js'
import { PerChatQueue } from './per-chat-queue.js'
import { renderReply } from './render.js'
import { ReplyOutbox } from './reply-outbox.js'
import { scan } from './tokenizer.js'

/** Messages that ran no command, remembered so that one WhatsApp delivers again reaches plugins once. */
const PLAIN_IDS_REMEMBERED = 5000
/** Finished records outlive the backlog window by this much: a message can come again a little after it. */
const HANDLED_MARGIN_MS = 3600_000
/** How long an answer may wait for WhatsApp to come back before it is given up. */
const ANSWER_WAITS_MS = 24 * 3600_000
const HANDLED_RECORDS_KEPT = 50_000

interface Command {
  prefix: string
  name: string
  words: CommandWords
}

export interface ChatRouterOptions {
  config: Config
  logger: Logger
  session: Session
  registry: ActionRegistry
  invoker: Invoker
  events: EventBus
  /** The session's own record of handled messages. */
  records: PluginStore
  /** Told each command's outcome, for metrics: `unknown` for a name no action has. */
  onCommand?: (command: string, outcome: CommandOutcome) => void
}

/** `ok` (2xx), `refused` (4xx: bad input, not allowed, limited), `failed` (5xx), `confirm_asked` (waits for !confirm), `unknown` (no such command). */
export type CommandOutcome = 'ok' | 'refused' | 'failed' | 'confirm_asked' | 'unknown'

const outcomeOf = (code: number): CommandOutcome => (code < 300 ? 'ok' : code < 500 ? 'refused' : 'failed')

/**
 * One session's chat: a message that starts with one of its prefixes becomes
 * an action call, run for that session, and the envelope goes back from the
 * same number as a reply quoting the command. Each command is answered once:
 * the ledger remembers, durably, which messages were taken and what they were
 * answered, and the outbox sends each answer until WhatsApp has it.
 */
export class ChatRouter {
  private unsubscribe: (() => void) | undefined
  private readonly prefixes: string[]
  private readonly inFlight = new Set<Promise<void>>()
  /** Destructive commands waiting for `!confirm`, by chat and sender. */
  private readonly pending = new Map<string, { action: RegisteredAction; input: unknown; expires: number }>()
  private readonly chats = new PerChatQueue()
  private readonly plainIds = new Set<string>()
  private readonly ledger: HandledLedger
  private readonly outbox: ReplyOutbox
  /** Orders answers; with the time in front it keeps growing across restarts. */
  private answered = 0

  private readonly config: Config
  private readonly logger: Logger
  private readonly session: Session
  private readonly whatsapp: WhatsApp
  private readonly registry: ActionRegistry
  private readonly invoker: Invoker
  private readonly events: EventBus

  private readonly onCommand: ChatRouterOptions['onCommand']

  constructor(options: ChatRouterOptions) {
    this.onCommand = options.onCommand
    const { config, session } = options
    this.config = config
    this.logger = options.logger
    this.session = session
    this.whatsapp = session.whatsapp
    this.registry = options.registry
    this.invoker = options.invoker
    this.events = options.events
    // Longest first, so that '!!' wins over '!' when both are configured.
    this.prefixes = [...session.chat.prefixes].sort((a, b) => b.length - a.length)
    const retention = { doneMs: config.chat.backlogSeconds * 1000 + HANDLED_MARGIN_MS, answeredMs: ANSWER_WAITS_MS, records: HANDLED_RECORDS_KEPT }
    const log = options.logger.child({ component: 'chat' })
    this.ledger = new HandledLedger(options.records, randomUUID(), retention, log)
    this.outbox = new ReplyOutbox(this.whatsapp, this.ledger, log, config.messages.pacing.typing)
  }

  /** The first prefix, the one replies teach. */
  private get prefix(): string {
    return this.session.chat.prefixes[0] ?? '!'
  }

  /** The session's command by that name; a plugin the session leaves out has none. */
  private command(name: string): RegisteredAction | undefined {
    const action = this.registry.byCommand(name)
    return action && this.session.serves(action.plugin) ? action : undefined
  }

  start(): void {
    this.ledger.prune().catch((error: unknown) => this.logger.warn({ err: error }, 'could not prune the record of handled chat messages'))
    this.outbox.start()
    // WhatsApp had these already (the bot acknowledged them), so it will not deliver them again: take them up now.
    for (const { message } of this.ledger.leftOver()) this.inChat(message, () => this.leftEarlier(message))
    this.unsubscribe = this.whatsapp.onMessage((message) => {
      const received = this.receive(message)
      this.inChat(message, () => this.handle(message))
      // WhatsApp is told the message arrived once this is on disk.
      return received
    })
  }

  /** Records a command as received, durably, before its receipt goes out; other messages need nothing. */
  private receive(message: IncomingMessage): Promise<void> | undefined {
    if ((message.fromMe && !this.config.chat.selfCommands) || !this.commandIn(message)) return undefined
    if (tooOldToAnswer(message, Date.now(), this.config.chat.backlogSeconds)) return undefined
    return this.ledger.receive(storableMessage(message)).catch((error: unknown) => this.logger.warn({ err: error, requestId: message.id }, 'could not record a command as received'))
  }

  /** Runs after the chat's earlier messages; idle() waits for it. */
  private inChat(message: IncomingMessage, task: () => Promise<void>): void {
    const handling = this.chats.run(message.chat, task).finally(() => this.inFlight.delete(handling))
    this.inFlight.add(handling)
  }

  /**
   * A command an earlier start received and never began, or began and never
   * finished, taken up again as if WhatsApp had delivered it once more: the
   * ledger tells which, and only one never begun runs as new.
   */
  private async leftEarlier(message: IncomingMessage): Promise<void> {
    const again = { ...message, backlog: true }
    if (!tooOldToAnswer(again, Date.now(), this.config.chat.backlogSeconds)) return this.handle(again)
    await this.ledger.finish(message.chat, message.id).catch((error: unknown) => this.logger.warn({ err: error, requestId: message.id }, 'could not close the record of a command a restart left'))
  }

  /** Stops taking commands and waits for the ones already running; unsent answers wait in the store for the next start. */
  async stop(): Promise<void> {
    this.unsubscribe?.()
    await this.idle()
    await this.outbox.stop()
    await this.ledger.settled()
  }

  /** Resolves when every command received so far has been answered, or its answer waits for the connection. */
  async idle(): Promise<void> {
    while (this.inFlight.size) await Promise.allSettled([...this.inFlight])
    await this.outbox.idle()
  }

  /** Handles one message; never throws. */
  async handle(message: IncomingMessage): Promise<void> {
    try {
      await this.take(message)
    } catch (error) {
      this.logger.error({ err: error, requestId: message.id }, 'chat command failed')
    }
  }

  private async take(message: IncomingMessage): Promise<void> {
    if (message.fromMe && !this.config.chat.selfCommands) return
    if (tooOldToAnswer(message, Date.now(), this.config.chat.backlogSeconds)) {
      this.logger.debug({ requestId: message.id, chat: message.chat, sentAt: message.timestamp }, 'not answering a message older than chat.backlogSeconds from the offline backlog')
      return
    }
    const command = this.commandIn(message)
    if (!command) return this.notACommand(message)
    const { chat, id } = message
    const log = this.logger.child({ requestId: id, chat, from: message.sender })
    const decision = this.ledger.decide(chat, id)
    if (decision === 'seen') {
      log.info({ command: command.name }, 'WhatsApp delivered this command again; it was handled already')
      return
    }
    if (decision === 'interrupted' && !this.safeToRunAgain(command)) {
      log.warn({ command: command.name }, 'a restart cut this command off; not running it again')
      return this.answer(message, this.interrupted(message, command))
    }
    await this.ledger.start(storableMessage(message))
    let text: string | undefined
    try {
      text = await this.route(message, command, log)
    } catch (error) {
      await this.ledger.finish(chat, id)
      throw error
    }
    if (text) await this.answer(message, text)
    else await this.ledger.finish(chat, id)
  }

  /** Stores the answer, then hands it to the outbox: durable before it is sent. */
  private async answer(message: IncomingMessage, text: string): Promise<void> {
    const reply = { id: this.replyId(), text, seq: Date.now() * 1000 + (this.answered++ % 1000), quoted: message }
    await this.ledger.answer(message.chat, message.id, { ...reply, quoted: storableMessage(message) })
    this.outbox.add(message.chat, message.id, reply)
  }

  private replyId(): string {
    // Shaped like the ids WhatsApp clients make: 3EB0 and upper-case hex.
    return `3EB0${randomUUID().replace(/-/g, '').slice(0, 18).toUpperCase()}`
  }

  private commandIn(message: IncomingMessage): Command | undefined {
    // A caption, a reaction's emoji or a poll's question is never a command.
    if (message.kind !== 'text') return undefined
    const text = message.text.trimStart()
    const prefix = this.prefixes.find((p) => text.startsWith(p))
    if (prefix === undefined) return undefined
    const line = text.slice(prefix.length)
    const [name, ...tokens] = scan(line)
    return name ? { prefix, name: name.text, words: { line, tokens } } : undefined
  }

  /** Actions served over GET only read: running one again after a restart does no harm and answers for real. */
  private safeToRunAgain(command: Command): boolean {
    return this.command(command.name)?.definition.http?.method === 'GET'
  }

  private interrupted(message: IncomingMessage, command: Command): string {
    const action = this.command(command.name)
    const definition = action?.definition
    let check: string | undefined
    if (definition?.check && definition.chat) {
      const mapped = mapWords(command.words, definition.chat, definition.input, message.mentions)
      const input = { ...(definition.chat.fromChat?.({ transport: 'chat', session: this.session.id, requestId: message.id, jid: message.sender, chat: message.chat, isOwner: false }) ?? {}), ...(mapped.ok ? mapped.input : {}) }
      try {
        check = `${command.prefix}${definition.check(input as never)}`
      } catch (error) {
        this.logger.warn({ err: error, action: action?.id }, 'the action could not say how to check it')
      }
    }
    return interruptedNotice(`${command.prefix}${command.name}`, check)
  }

  /**
   * Plugins' 'message' handlers get what did not run a command, unknown commands
   * included, but never the bot's own messages: a plugin that answers every
   * message must not hear its own answers.
   */
  private notACommand(message: IncomingMessage): void {
    if (message.fromMe) return
    // WhatsApp may deliver a message again after a lost connection; plugins hear it once.
    const key = `${message.chat}/${message.id}`
    if (this.plainIds.has(key)) return
    this.plainIds.add(key)
    if (this.plainIds.size > PLAIN_IDS_REMEMBERED) this.plainIds.delete(this.plainIds.values().next().value as string)
    this.events.publish('message', message, this.session)
  }

  /** Runs the command; resolves with the answer, or undefined when there is none to send. */
  private async route(message: IncomingMessage, { prefix, name, words }: Command, log: Logger): Promise<string | undefined> {
    if (name.toLowerCase() === 'confirm') return this.confirm(message, prefix, log)
    const action = this.command(name)
    const chat = action?.definition.chat
    if (!action || !chat) {
      // One label for every unknown name: typos would otherwise make a time series each.
      this.onCommand?.('(unknown)', 'unknown')
      this.notACommand(message)
      // In groups other bots may share the prefix, so only a private chat hears about typos.
      return message.isGroup ? undefined : `I don't know ${prefix}${name}. Send ${this.prefix}help to see what I can do.`
    }
    log.info({ command: name, backlog: message.backlog }, 'command received')
    const definition = action.definition
    const caller = await this.callerOf(message)
    const usage = usageOf(prefix, definition)
    const mapped = mapWords(words, chat, definition.input, message.mentions, `${prefix}${chat.command}`)
    // A caller who may not run the command learns that, not its usage.
    if (!mapped.ok && this.invoker.mayRun(action, caller)) {
      this.onCommand?.(chat.command, 'refused')
      return renderReply(failure(400, mapped.error), { usage })
    }
    const input = { ...(chat.fromChat?.(caller) ?? {}), ...(mapped.ok ? mapped.input : {}) }
    const result = await this.invoker.invoke(action, input, caller, { words: true })
    this.onCommand?.(chat.command, result.pending ? 'confirm_asked' : outcomeOf(result.envelope.code))
    if (result.pending) {
      this.pending.set(pendingKey(message), { action, input: result.pending.input, expires: Date.now() + this.config.chat.confirmSeconds * 1000 })
      return `⚠️ ${result.pending.question}\nSend ${prefix}confirm within ${this.config.chat.confirmSeconds} s to go ahead.`
    }
    return this.render(action, result.envelope, input, usage)
  }

  /** `!confirm`: runs the destructive command this person asked for in this chat, if it has not expired. */
  private async confirm(message: IncomingMessage, prefix: string, log: Logger): Promise<string> {
    const key = pendingKey(message)
    const pending = this.pending.get(key)
    this.pending.delete(key)
    if (!pending || pending.expires < Date.now()) {
      return `❌ Nothing to confirm: ${prefix}confirm answers a question I asked you in this chat in the last ${this.config.chat.confirmSeconds} s`
    }
    log.info({ action: pending.action.id }, 'command confirmed')
    const { envelope } = await this.invoker.invoke(pending.action, pending.input, await this.callerOf(message), { confirmed: true })
    this.onCommand?.(pending.action.definition.chat?.command ?? 'confirm', outcomeOf(envelope.code))
    return this.render(pending.action, envelope, pending.input, usageOf(prefix, pending.action.definition))
  }

  private render(action: RegisteredAction, envelope: Envelope, input: unknown, usage: string): string {
    const successText = envelope.status && action.definition.reply ? action.definition.reply(envelope.data, input as never) : undefined
    return renderReply(envelope, { usage, ...(successText === undefined ? {} : { successText }) })
  }

  private async callerOf(message: IncomingMessage): Promise<Caller> {
    // A command typed on the bot's own phone comes from whoever holds the number.
    const isOwner = message.fromMe || this.session.chat.owners.includes(message.sender)
    return {
      transport: 'chat',
      session: this.session.id,
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
}

const pendingKey = (message: IncomingMessage): string => `${message.chat} ${message.sender}`
