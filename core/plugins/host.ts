import 'reflect-metadata'
import { inject, injectable } from 'tsyringe'
import type { ActionDefinition } from '../actions/action.js'
import type { ActionRegistry } from '../actions/registry.js'
import type { Config } from '../config.js'
import { StartupError } from '../errors.js'
import type { EventBus } from '../events/event-bus.js'
import type { Logger } from '../logger.js'
import type { Storage } from '../storage/storage.js'
import { Tokens } from '../tokens.js'
import type { SessionManager } from '../sessions/manager.js'
import { pluginSessions } from './plugin-sessions.js'
import { pluginFacingContainer } from './plugin-container.js'
import { compatibilityProblem } from './compatibility.js'
import { orderByDependencies } from './dependencies.js'
import type { LoadedPlugin } from './loader.js'
import { checkPluginOptions } from './options.js'
import type { PluginContext, PluginDefinition } from './plugin.js'
import { SharedServices } from './shared-services.js'

export type PluginState = 'loaded' | 'running' | 'failed' | 'stopped'

export interface PluginStatus {
  name: string
  version?: string
  source: string
  state: PluginState
  /** Why it failed, for the operator. */
  reason?: string
}

interface Entry {
  status: PluginStatus
  plugin?: PluginDefinition
  context?: PluginContext
  /** Actions added during setup; registered together once setup has returned. */
  actions: ActionDefinition<never, unknown>[]
}

const dependenciesOf = (entry: Entry): readonly string[] => entry.plugin?.dependsOn ?? []

/**
 * Runs plugins through setup → start → stop, each after the plugins it depends
 * on. A plugin that fails to load, set up or start is disabled and reported by
 * name and reason while the rest run (and so are the plugins that depend on
 * it); only a conflict between plugins (the same command or route) or a
 * missing or circular dependency stops the start, because how to resolve it is
 * the operator's call.
 */
@injectable()
export class PluginHost {
  private entries: Entry[] = []
  /** Every plugin name loaded, those disabled by configuration included. */
  private readonly loadedNames = new Set<string>()
  private readonly shared = new SharedServices()

  constructor(
    @inject(Tokens.Config) private readonly config: Config,
    @inject(Tokens.Logger) private readonly logger: Logger,
    @inject(Tokens.Sessions) private readonly sessions: SessionManager,
    @inject(Tokens.Actions) private readonly registry: ActionRegistry,
    @inject(Tokens.Events) private readonly events: EventBus,
    @inject(Tokens.Storage) private readonly storage: Storage,
    @inject(Tokens.StartedAt) private readonly startedAt: number,
  ) {}

  add(loaded: LoadedPlugin[]): void {
    const facing = pluginFacingContainer(this.config, this.logger, this.sessions, this.startedAt)
    for (const item of loaded) {
      if ('error' in item) {
        this.fail({ status: { name: item.source, source: item.source, state: 'failed' }, actions: [] }, item.error)
        continue
      }
      const { plugin, source } = item
      this.loadedNames.add(plugin.name)
      if (this.config.disabledPlugins.includes(plugin.name)) {
        this.logger.info({ plugin: plugin.name }, 'plugin disabled by configuration')
        continue
      }
      const twin = this.entries.find((entry) => entry.plugin?.name === plugin.name)
      if (twin) throw new StartupError(`Two plugins are named '${plugin.name}': ${twin.status.source} and ${source}; remove or rename one`)
      const entry: Entry = { plugin, status: { name: plugin.name, version: plugin.version, source, state: 'loaded' }, actions: [] }
      const logger = this.logger.child({ plugin: plugin.name })
      const incompatible = compatibilityProblem(plugin)
      if (incompatible) {
        this.fail(entry, incompatible)
        continue
      }
      const options = checkPluginOptions(plugin.name, plugin.options, this.config.pluginOptions[plugin.name])
      if (!options.ok) {
        this.fail(entry, options.error)
        continue
      }
      const own = facing.createChildContainer()
      const { storage, sessions } = this
      this.shared.addPlugin(plugin.name, own)
      entry.context = {
        name: plugin.name,
        options: options.value,
        logger,
        get whatsapp() {
          return sessions.default.client
        },
        sessions: pluginSessions(plugin.name, sessions),
        container: own,
        get store() {
          return storage.forPlugin(plugin.name)
        },
        action: (definition) => {
          entry.actions.push(definition as unknown as ActionDefinition<never, unknown>)
        },
        on: (event, handler) => this.events.subscribe(plugin.name, logger, event, handler),
        export: (token, value) => this.shared.export(plugin.name, own, token, value),
        use: (token) => this.shared.use(plugin.name, plugin.dependsOn ?? [], token),
      }
      this.entries.push(entry)
    }
    this.entries = orderByDependencies(
      this.entries.map((entry) => ({ name: entry.status.name, dependsOn: dependenciesOf(entry), entry })),
      this.config.disabledPlugins,
    ).map(({ entry }) => entry)
    for (const name of Object.keys(this.config.pluginOptions)) {
      if (!this.config.disabledPlugins.includes(name) && !this.entries.some((entry) => entry.status.name === name)) {
        this.logger.warn(`pluginOptions has options for '${name}', which is not a loaded plugin; check the name`)
      }
    }
    this.warnUnknownPluginNames()
  }

  /** A misspelt plugin name would otherwise change nothing, silently. */
  private warnUnknownPluginNames(): void {
    const known = (name: string) => this.loadedNames.has(name) || this.entries.some((entry) => entry.status.name === name)
    const lists: [string, string[]][] = [
      ['disabledPlugins', this.config.disabledPlugins],
      ['chat.allow', Object.keys(this.config.chat.allow)],
      ...Object.entries(this.config.sessions.settings).map(([id, settings]): [string, string[]] => [`sessions.settings.${id}.disabledPlugins`, settings.disabledPlugins ?? []]),
    ]
    const names = [...this.loadedNames].sort().join(', ') || 'none'
    for (const [where, list] of lists) {
      for (const name of list) {
        if (!known(name)) this.logger.warn(`${where} names the plugin '${name}', which is not loaded (loaded: ${names}); check the name`)
      }
    }
  }

  /** Once the commands are known: an access rule for a command no plugin offers is a typo, or a plugin that failed. */
  private warnUnknownCommands(): void {
    const actions = this.registry.list()
    for (const command of Object.keys(this.config.chat.access)) {
      if (actions.some((action) => action.definition.chat?.command === command)) continue
      const aliased = actions.find((action) => action.definition.chat?.aliases?.includes(command))
      const hint = aliased?.definition.chat ? `it is an alias of '${aliased.definition.chat.command}'; name that instead` : 'check the name (without the prefix)'
      this.logger.warn(`chat.access names the command '${command}', which no running plugin offers; ${hint}`)
    }
  }

  async setupAll(): Promise<void> {
    for (const entry of this.running('loaded')) {
      const { plugin, context } = entry as Required<Entry>
      if (this.dependencyFailed(entry)) continue
      this.shared.linkDependencies(plugin.name, dependenciesOf(entry), context.container)
      try {
        await plugin.setup(context)
        this.registry.registerAll(plugin.name, entry.actions)
      } catch (error) {
        if (error instanceof StartupError) throw error
        this.fail(entry, `setup failed: ${(error as Error).message}`, error)
      }
    }
  }

  async startAll(): Promise<void> {
    for (const entry of this.running('loaded')) {
      const { plugin, context } = entry as Required<Entry>
      if (this.dependencyFailed(entry)) {
        this.registry.remove(plugin.name)
        continue
      }
      try {
        await plugin.start?.(context)
        entry.status.state = 'running'
      } catch (error) {
        this.registry.remove(plugin.name)
        this.fail(entry, `start failed: ${(error as Error).message}`, error)
      }
    }
    this.warnUnknownCommands()
  }

  /** Reverse order, each plugin within the time limit, so one stuck plugin cannot hold the shutdown. */
  async stopAll(): Promise<void> {
    for (const entry of this.running('running').reverse()) {
      const { plugin, context } = entry as Required<Entry>
      entry.status.state = 'stopped'
      this.events.removePlugin(plugin.name)
      if (!plugin.stop) {
        this.shared.removePlugin(plugin.name)
        continue
      }
      let timer: NodeJS.Timeout | undefined
      const limit = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), this.config.pluginStopTimeoutMs)))
      try {
        const outcome = await Promise.race([Promise.resolve(plugin.stop(context)).then(() => 'stopped' as const), limit])
        if (outcome === 'timeout') this.logger.warn({ plugin: plugin.name }, `plugin did not stop within ${this.config.pluginStopTimeoutMs} ms; moving on`)
      } catch (error) {
        this.logger.warn({ plugin: plugin.name, err: error }, 'plugin failed while stopping')
      } finally {
        clearTimeout(timer)
        this.shared.removePlugin(plugin.name)
      }
    }
  }

  status(): PluginStatus[] {
    return this.entries.map((entry) => ({ ...entry.status }))
  }

  private running(state: PluginState): Entry[] {
    return this.entries.filter((entry) => entry.status.state === state)
  }

  /** Disables a plugin whose dependency failed, naming it; true if so. */
  private dependencyFailed(entry: Entry): boolean {
    const failed = this.entries.find((other) => dependenciesOf(entry).includes(other.status.name) && other.status.state === 'failed')
    if (failed) this.fail(entry, `depends on '${failed.status.name}', which failed`)
    return failed !== undefined
  }

  private fail(entry: Entry, reason: string, error?: unknown): void {
    entry.status.state = 'failed'
    // A disabled plugin hears and shares nothing more.
    this.events.removePlugin(entry.status.name)
    this.shared.removePlugin(entry.status.name)
    entry.status.reason = reason
    if (!this.entries.includes(entry)) this.entries.push(entry)
    this.logger.error({ plugin: entry.status.name, err: error }, `plugin '${entry.status.name}' is disabled: ${reason}`)
  }
}
