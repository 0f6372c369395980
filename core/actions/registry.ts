import { STATUS_MESSAGES, StartupError, isErrorCode } from '../errors.js'
import { compileValidator, lazyValidator, type Validator } from '../validation.js'
import type { ActionDefinition } from './action.js'

export interface RegisteredAction {
  /** `<plugin>.<name>` */
  id: string
  plugin: string
  definition: ActionDefinition<never, unknown>
  /** For JSON bodies: types exactly as sent. */
  validate: Validator<unknown>
  /** For chat words and query strings: "5" may stand for 5, one word for a list. */
  validateWords: Validator<unknown>
}

const errorCodes = (): string => Object.keys(STATUS_MESSAGES).join(', ')

const COMMAND_NAME = /^[a-z][a-z0-9_-]{0,31}$/

/** Answered by the chat router itself: `!confirm` runs the destructive command it was asked about. */
export const RESERVED_COMMANDS = new Set(['confirm'])

/** Every action of every plugin, with the commands and routes they claim. */
export class ActionRegistry {
  private readonly actions = new Map<string, RegisteredAction>()
  private readonly commands = new Map<string, RegisteredAction>()
  private readonly routes = new Map<string, RegisteredAction>()

  /**
   * Checks a plugin's actions and registers them all, or none: a plugin whose
   * action is malformed is disabled by the host, while a claim on a command or
   * route another plugin already holds stops the start.
   */
  registerAll(plugin: string, definitions: ActionDefinition<never, unknown>[]): RegisteredAction[] {
    const prepared = definitions.map((definition) => this.prepare(plugin, definition))
    const claims = new Map<string, string>()
    for (const action of prepared) {
      for (const key of this.claimsOf(action)) {
        const holder = this.commands.get(key) ?? this.routes.get(key)
        const what = key.includes(' ') ? `Route ${key}` : `Command '${key}'`
        if (holder) {
          throw new StartupError(`${what} is claimed by both plugin '${holder.plugin}' and plugin '${plugin}'; disable one of them (disabledPlugins) or rename the command`)
        }
        if (claims.has(key)) throw new StartupError(`${what} is claimed twice by plugin '${plugin}' (actions ${claims.get(key)} and ${action.id})`)
        claims.set(key, action.id)
      }
    }
    for (const action of prepared) {
      this.actions.set(action.id, action)
      for (const key of this.claimsOf(action)) (key.includes(' ') ? this.routes : this.commands).set(key, action)
    }
    return prepared
  }

  private prepare(plugin: string, definition: ActionDefinition<never, unknown>): RegisteredAction {
    const id = `${plugin}.${definition.name}`
    if (typeof definition.handler !== 'function') throw new Error(`action ${id} has no handler`)
    if (this.actions.has(id)) throw new Error(`action ${id} is defined twice`)
    for (const command of [definition.chat?.command, ...(definition.chat?.aliases ?? [])]) {
      if (command !== undefined && !COMMAND_NAME.test(command)) {
        throw new Error(`action ${id}: command '${command}' must be lower-case letters, digits, '-' or '_', without the prefix (write 'creategroup', not '!creategroup')`)
      }
      if (command !== undefined && RESERVED_COMMANDS.has(command)) throw new Error(`action ${id}: the command '${command}' belongs to the runtime; choose another name`)
    }
    if (definition.http && !definition.http.path.startsWith('/')) throw new Error(`action ${id}: HTTP path '${definition.http.path}' must start with '/'`)
    if (definition.where !== undefined && !['group', 'private', 'anywhere'].includes(definition.where)) {
      throw new Error(`action ${id}: where is '${String(definition.where)}'; use 'group', 'private' or 'anywhere'`)
    }
    for (const [scope, seconds] of Object.entries(definition.cooldown ?? {})) {
      if (!['user', 'chat'].includes(scope)) throw new Error(`action ${id}: cooldown.${scope} is not a cooldown; use cooldown.user or cooldown.chat`)
      if (typeof seconds !== 'number' || !(seconds > 0)) throw new Error(`action ${id}: cooldown.${scope} must be a number of seconds above 0`)
    }
    const { output, errors } = definition
    if (output !== undefined && (output === null || typeof output !== 'object' || Array.isArray(output))) {
      throw new Error(`action ${id}: output must be a JSON Schema object, like { type: 'object', properties: { ... } }`)
    }
    for (const code of Object.keys(errors ?? {})) {
      if (!isErrorCode(Number(code)) || Number(code) < 400) throw new Error(`action ${id}: errors lists ${code}, which is not an error status waplug answers with (${errorCodes()})`)
    }
    try {
      return {
        id,
        plugin,
        definition,
        validate: compileValidator(definition.input),
        // The coercing view of the same schema, for chat words: compiled on first use, since the
        // strict compile above has already reported the schema's mistakes and compiling costs start-up time.
        validateWords: lazyValidator(() => compileValidator(structuredClone(definition.input), { coerce: true })),
      }
    } catch (error) {
      throw new Error(`action ${id}: its input schema is invalid: ${(error as Error).message}`, { cause: error })
    }
  }

  private claimsOf(action: RegisteredAction): string[] {
    const { chat, http } = action.definition
    const keys = chat ? [chat.command, ...(chat.aliases ?? [])] : []
    if (http) keys.push(`${http.method} ${http.path.replace(/:\w+/g, ':param')}`)
    return keys
  }

  byCommand(command: string): RegisteredAction | undefined {
    return this.commands.get(command.toLowerCase())
  }

  list(): RegisteredAction[] {
    return [...this.actions.values()]
  }

  remove(plugin: string): void {
    for (const map of [this.actions, this.commands, this.routes]) {
      for (const [key, action] of map) if (action.plugin === plugin) map.delete(key)
    }
  }
}
