import type { Config } from '../config.js'
import { createContainer, type DependencyContainer, type Token } from '../container.js'
import type { Logger } from '../logger.js'
import type { SessionManager } from '../sessions/manager.js'
import { Tokens } from '../tokens.js'

/** What a plugin may not resolve, and what to use instead. */
const OFF_LIMITS: [keyof typeof Tokens, string][] = [
  ['Storage', "use plugin.store, the plugin's own store"],
  ['Plugins', 'plugins cannot reach each other except through plugin.export and plugin.use'],
  ['Http', 'add routes with plugin.action'],
  ['Chat', 'add commands with plugin.action'],
  ['Events', "subscribe with plugin.on('message' | 'group' | 'connection', handler)"],
  ['Webhooks', 'webhooks are the operator\'s, over HTTP; a plugin hears events with plugin.on'],
  ['Invoker', 'plugins run their own handlers; other plugins share services with plugin.export'],
  ['Actions', 'add actions with plugin.action'],
  ['Sessions', 'use plugin.sessions, which reaches the sessions this plugin serves'],
]

/** The configuration without the secrets that let a caller in. */
function withoutSecrets(config: Config): Config {
  return Object.freeze({ ...config, http: Object.freeze({ ...config.http, apiKeys: [], jwtSecret: null }) })
}

/**
 * The container every plugin's own is a child of: the logger, the
 * configuration without its secrets, and the default session's connection
 * without its lifecycle. Not the runtime's container: no plugin can resolve
 * another plugin's store, the plugin host, or a way to stop a session.
 */
export function pluginFacingContainer(config: Config, logger: Logger, sessions: SessionManager, startedAt: number): DependencyContainer {
  const container = createContainer()
  container.register(Tokens.Config, { useValue: withoutSecrets(config) })
  container.register(Tokens.Logger, { useValue: logger })
  container.register(Tokens.WhatsApp, { useFactory: () => sessions.default.client })
  container.register(Tokens.StartedAt, { useValue: startedAt })
  for (const [name, instead] of OFF_LIMITS) {
    const key: Token<unknown> = Tokens[name]
    container.register(key, {
      useFactory: () => {
        throw new Error(`Plugins cannot resolve the runtime's ${name}: ${instead}`)
      },
    })
  }
  return container
}
