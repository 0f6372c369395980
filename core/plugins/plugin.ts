import type { ActionDefinition } from '../actions/action.js'
import type { DependencyContainer, Token } from '../container.js'
import type { PluginEventHandler, PluginEventName } from '../events/event-bus.js'
import type { Logger } from '../logger.js'
import type { PluginStore } from '../storage/plugin-store.js'
import type { JsonSchema } from '../validation.js'
import type { WhatsAppClient } from '../sessions/whatsapp-client.js'
import type { PluginSessions } from './plugin-sessions.js'

/** What a plugin's setup, start and stop receive. */
export interface PluginContext<Options = Record<string, unknown>> {
  readonly name: string
  /** The plugin's options from `pluginOptions.<name>`, checked against its `options` schema, defaults filled in. */
  readonly options: Readonly<Options>
  /** A child of the runtime's logger that carries the plugin's name. */
  readonly logger: Logger
  /**
   * The `default` session's connection, without start, stop or logout. An
   * action's handler and an event handler get their own session's instead.
   */
  readonly whatsapp: WhatsAppClient
  /** The sessions this plugin serves (those that did not turn it off). */
  readonly sessions: PluginSessions
  /**
   * The plugin's own child container: what it registers stays its own. Its
   * parent holds only what plugins may use (Config without its secrets,
   * Logger, WhatsApp), never the runtime's services.
   */
  readonly container: DependencyContainer
  /**
   * The plugin's own persistent key-value store (JSON values), under the
   * runtime's dataDir. No other plugin can read it; it survives restarts; a
   * write that resolved is on disk. `store.forSession(id)` keeps a session's
   * data apart.
   */
  readonly store: PluginStore
  /** Adds an action; its HTTP route and chat command exist once setup has returned. */
  action<I, O>(definition: ActionDefinition<I, O>): void
  /**
   * Subscribes to `message` (messages that did not run a command), `group`
   * (group events) or `connection` (state changes), of every session this
   * plugin serves: `(payload, ctx)`, with `ctx.session` and `ctx.whatsapp`
   * for the session the event came from. The handler runs in an
   * error boundary: what it throws is logged with the plugin's name and reaches
   * no one else. Returns an unsubscribe function; every subscription ends when
   * the plugin stops or is disabled.
   */
  on<E extends PluginEventName>(event: E, handler: PluginEventHandler<E>): () => void
  /**
   * Shares a service with the plugins that list this one in `dependsOn`. What
   * the plugin registers in its container stays private until exported. Pass
   * the value, or export a token already registered in `container`.
   */
  export<T>(token: Token<T>, value?: T): void
  /** A service exported by one of the plugins this one `dependsOn`, by its typed token. */
  use<T>(token: Token<T>): T
}

export interface PluginDefinition<Options = Record<string, unknown>> {
  /** Lower-case, e.g. `groups`; it prefixes the plugin's action ids and log lines. */
  name: string
  version: string
  /**
   * The waplug versions the plugin supports, as a semver range (`'^0.1.0'`).
   * Outside it the plugin is disabled with a message naming both versions.
   */
  waplug?: string
  /**
   * JSON Schema of the plugin's options (`pluginOptions.<name>` in config).
   * They are checked when the plugin loads, and `default`s are filled in; wrong
   * options disable the plugin with a line naming the key and the problem.
   */
  options?: JsonSchema
  /**
   * Plugins that must be set up (and started) before this one, by name. A
   * missing or circular dependency stops the start; a dependency that fails
   * disables this plugin too. Only these plugins' exports are available to `use`.
   */
  dependsOn?: string[]
  setup(context: PluginContext<Options>): void | Promise<void>
  /** Runs after every plugin's setup, before HTTP and chat serve requests. */
  start?(context: PluginContext<Options>): void | Promise<void>
  /** Runs at shutdown, in reverse order, within `pluginStopTimeoutMs`. */
  stop?(context: PluginContext<Options>): void | Promise<void>
}

const PLUGIN_NAME = /^[a-z][a-z0-9-]{0,40}$/

/** Declares a plugin; checks the shape early so a mistake names the plugin, not a stack frame. */
export function definePlugin<Options = Record<string, unknown>>(definition: PluginDefinition<Options>): PluginDefinition<Options> {
  const problem = pluginShapeProblem(definition)
  if (problem) throw new Error(problem)
  return definition
}

export function pluginShapeProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return 'the module does not export a plugin: `export default definePlugin({ name, version, setup })`'
  const plugin = value as Partial<PluginDefinition>
  if (typeof plugin.name !== 'string' || !PLUGIN_NAME.test(plugin.name)) {
    return `plugin name ${JSON.stringify(plugin.name)} must be lower-case letters, digits and '-', starting with a letter`
  }
  if (typeof plugin.version !== 'string' || plugin.version === '') return `plugin '${plugin.name}' needs a version string`
  if (typeof plugin.setup !== 'function') return `plugin '${plugin.name}' needs a setup(context) function`
  if (plugin.dependsOn !== undefined && (!Array.isArray(plugin.dependsOn) || plugin.dependsOn.some((name) => typeof name !== 'string'))) {
    return `plugin '${plugin.name}': dependsOn must be a list of plugin names, like ['groups']`
  }
  if (plugin.options !== undefined && (typeof plugin.options !== 'object' || plugin.options === null)) return `plugin '${plugin.name}': options must be a JSON Schema object`
  return undefined
}
