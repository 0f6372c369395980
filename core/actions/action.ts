import type { ErrorCode } from '../errors.js'
import type { Logger } from '../logger.js'
import type { JsonSchema } from '../validation.js'
import type { WhatsAppClient } from '../sessions/whatsapp-client.js'

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
/**
 * Who may run a command from chat: the bot's owners; owners and, inside a group,
 * that group's admins; or everyone.
 */
export type AccessLevel = 'owner' | 'admins' | 'everyone'

/** Where a chat command may be sent: only in groups, only in a private chat with the bot, or anywhere (the default). */
export type ChatPlace = 'group' | 'private' | 'anywhere'

/**
 * How long, in seconds, a chat command rests after it ran: for the same person
 * (`user`) and in the same chat (`chat`). Owners and HTTP callers are exempt.
 */
export interface Cooldown {
  user?: number
  chat?: number
}

/** Who is running an action, and through which transport. */
export interface Caller {
  transport: 'http' | 'chat'
  /** The session the action runs for: the one a command reached, or the one an HTTP route names (`default` without a prefix). */
  session: string
  /** The id every log line of this request or command carries. */
  requestId: string
  /** Chat: the sender's jid. HTTP: the JWT subject, if any. */
  jid?: string
  /** Chat: the chat the command was sent in. */
  chat?: string
  /** Chat: whether the sender is one of the configured owners. HTTP callers are always trusted. */
  isOwner: boolean
  /** Chat in a group: whether the sender is an admin of that group. */
  isGroupAdmin?: boolean
}

/** What an action's handler may use. */
export interface ActionContext {
  caller: Caller
  logger: Logger
  /** The caller's session's connection. */
  whatsapp: WhatsAppClient
  /** Aborted when the action runs past its time limit. */
  signal: AbortSignal
  /** The commands this caller may run in chat (for help-like actions). */
  commands: () => CommandInfo[]
}

/** What an action's confirmation question may look at. */
export interface ConfirmContext {
  caller: Caller
  /** The caller's session's connection: `me` is the bot's own number. */
  whatsapp: WhatsAppClient
}

export interface CommandInfo {
  command: string
  aliases: string[]
  summary: string
  usage: string
  plugin: string
}

export interface HttpBinding {
  method: HttpMethod
  /** Koa-router path, e.g. `/groups/:jid`; path parameters are merged into the input. */
  path: string
}

export interface ChatBinding<I> {
  /** Without the prefix: `creategroup`, not `!creategroup`. */
  command: string
  aliases?: string[]
  /**
   * How words map onto input properties, in order. A last entry written
   * `...name` collects every remaining word into the array property `name`;
   * when `name` is a string property, it takes the rest of the line exactly
   * as typed (free text: quotes and spaces kept).
   */
  args?: string[]
  /** Input taken from where the command was sent, e.g. the group it was sent in. Words win. */
  fromChat?: (caller: Caller) => Partial<I>
  /**
   * For commands whose words are not a list of values (`!settings send admins`):
   * turns the words into input. Throw `badRequest(...)` to say what is wrong.
   */
  parse?: (words: string[]) => Partial<I>
  /** The usage line, when `args` cannot describe it; without the prefix. */
  usage?: string
}

/**
 * The failures an action answers itself, by status, each with when it happens
 * ("The group does not exist, or I am not in it"). The runtime's own answers
 * (bad input, no credential, WhatsApp not connected, time limit) are described
 * without being listed here.
 */
export type ActionErrors = Partial<Record<ErrorCode, string>>

export interface ActionDefinition<I = Record<string, unknown>, O = unknown> {
  /** Unique within its plugin; the registry names it `<plugin>.<name>`. */
  name: string
  summary: string
  /** A longer explanation for the API reference; the summary is its title. */
  description?: string
  /**
   * JSON Schema of the input; `title` on a property names it in error messages.
   * Over HTTP, a property the path names (`:jid`) comes from the path; the others
   * from the query string on GET and from the JSON body otherwise.
   */
  input: JsonSchema
  /**
   * JSON Schema of what the handler returns: the `data` of the success envelope.
   * It describes the answer in the API reference (without it: any JSON value),
   * and the HTTP contract tests check the real answers against it. A route that
   * answers with a file rather than an envelope says so with `contentMediaType`:
   * `{ type: 'string', contentMediaType: 'image/png' }` (`'*\/*'` when it varies).
   */
  output?: JsonSchema
  /** The failures the handler answers with, for the API reference. */
  errors?: ActionErrors
  http?: HttpBinding
  chat?: ChatBinding<I>
  /** Who may run it from chat (HTTP callers are authenticated and trusted). Default: owner. */
  access?: AccessLevel
  /** Where it may be sent from chat. Default: anywhere. */
  where?: ChatPlace
  /** Rest between two uses from chat; the refusal says when to try again. */
  cooldown?: Cooldown
  /** Whether it needs an open WhatsApp connection (503 otherwise). Default: true. */
  needsWhatsApp?: boolean
  /** The envelope's message on success; a function when it tells what happened ("Added 2 of 3 participants"). */
  successMessage: string | ((data: O, input: I) => string)
  /** The envelope's error when the handler fails for a reason the caller cannot fix. */
  failureMessage: string
  handler(input: I, context: ActionContext): Promise<O> | O
  /**
   * Destructive actions: in chat the caller is asked this question first and
   * the action runs only after `!confirm`. HTTP callers are not asked. Throw
   * `badRequest(...)` to refuse at once, before anything is asked.
   */
  confirm?(input: I, context: ConfirmContext): string
  /** The chat reply for a success; default: the success message. An empty reply sends nothing (the handler already spoke). */
  reply?(data: O, input: I): string
  /**
   * A command (without the prefix) that shows whether this action took
   * effect, e.g. `groups`. When a restart cuts a chat command off mid-way,
   * the runtime does not run it again by itself; it tells the sender so, and
   * suggests this to check before they ask again.
   */
  check?(input: I): string
}

/** Declares an action; the identity function exists for its types. */
export function defineAction<I = Record<string, unknown>, O = unknown>(definition: ActionDefinition<I, O>): ActionDefinition<I, O> {
  return definition
}

/** The options a command takes in chat: `--send-invite` for each boolean property (`send_invite`). */
export function optionsOf(action: ActionDefinition<never, unknown>): string[] {
  const properties = (action.input.properties ?? {}) as Record<string, { type?: unknown }>
  return Object.entries(properties)
    .filter(([, property]) => property.type === 'boolean')
    .map(([name]) => `--${name.replace(/_/g, '-')}`)
}

/**
 * `!add [group] <participants...> [--send-invite]`, from the binding and the input schema.
 * A group argument is shown as `group`, whatever its property is called.
 */
export function usageOf(prefix: string, action: ActionDefinition<never, unknown>): string {
  if (!action.chat) return ''
  if (action.chat.usage) return `${prefix}${action.chat.usage}`
  const required = new Set((action.input.required as string[] | undefined) ?? [])
  const properties = (action.input.properties ?? {}) as Record<string, { format?: string }>
  const words = (action.chat.args ?? []).map((arg) => {
    const rest = arg.startsWith('...')
    const name = rest ? arg.slice(3) : arg
    const group = properties[name]?.format === 'wa-group'
    const shown = `${group ? 'group' : name}${rest ? '...' : ''}`
    // A group argument is optional in chat when the group the command is written in stands for it.
    const implied = action.chat?.fromChat !== undefined && group
    return required.has(name) && !implied ? `<${shown}>` : `[${shown}]`
  })
  const options = action.chat.parse ? [] : optionsOf(action).map((option) => `[${option}]`)
  return [`${prefix}${action.chat.command}`, ...words, ...options].join(' ')
}
