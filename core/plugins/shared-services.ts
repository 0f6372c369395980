import type { DependencyContainer, Token } from '../container.js'

interface Export {
  plugin: string
  container: DependencyContainer
}

const nameOf = (token: Token<unknown>) => `'${token.description ?? String(token)}'`

/**
 * The services plugins export. What a plugin registers in its container is its
 * own; only what it exports is visible, and only to plugins that list it in
 * `dependsOn`, so that the provider is always set up first (Fastify's
 * encapsulation, with the sharing written down).
 */
export class SharedServices {
  private readonly exports = new Map<Token<unknown>, Export>()
  private readonly containers = new Map<string, DependencyContainer>()

  /** Every plugin's container, to tell "private to X" from "nobody provides it". */
  addPlugin(plugin: string, container: DependencyContainer): void {
    this.containers.set(plugin, container)
  }

  export<T>(plugin: string, container: DependencyContainer, token: Token<T>, value?: T): void {
    if (typeof token !== 'symbol') throw new Error(`plugin '${plugin}' exported ${String(token)}, which is not a token; create one with token<T>('name')`)
    const holder = this.exports.get(token)
    if (holder && holder.plugin !== plugin) throw new Error(`plugin '${plugin}' exports ${nameOf(token)}, which plugin '${holder.plugin}' already exports; give one of them another token`)
    if (value !== undefined) container.register(token, { useValue: value })
    else if (!container.isRegistered(token)) {
      throw new Error(`plugin '${plugin}' exports ${nameOf(token)} without providing it; register it in plugin.container first, or pass the value: plugin.export(token, value)`)
    }
    this.exports.set(token, { plugin, container })
  }

  /** Makes the exports of a plugin's dependencies resolvable from its own container too (for @inject in its services). */
  linkDependencies(plugin: string, dependsOn: readonly string[], container: DependencyContainer): void {
    for (const [token, holder] of this.exports) {
      if (dependsOn.includes(holder.plugin) && !container.isRegistered(token)) {
        container.register(token, { useFactory: () => holder.container.resolve(token) })
      }
    }
  }

  use<T>(plugin: string, dependsOn: readonly string[], token: Token<T>): T {
    const holder = this.exports.get(token)
    if (!holder) {
      const owner = [...this.containers].find(([name, container]) => name !== plugin && container.isRegistered(token))?.[0]
      if (owner) throw new Error(`plugin '${plugin}' asked for ${nameOf(token)}, which is private to plugin '${owner}'; '${owner}' has to export it (plugin.export(token))`)
      throw new Error(`plugin '${plugin}' asked for ${nameOf(token)}, which no plugin exports; is the plugin that provides it loaded and listed in dependsOn?`)
    }
    if (holder.plugin !== plugin && !dependsOn.includes(holder.plugin)) {
      throw new Error(`plugin '${plugin}' uses ${nameOf(token)} from plugin '${holder.plugin}' without depending on it; add '${holder.plugin}' to its dependsOn`)
    }
    return holder.container.resolve(token)
  }

  /** A plugin that failed or stopped shares nothing more. */
  removePlugin(plugin: string): void {
    for (const [token, holder] of this.exports) if (holder.plugin === plugin) this.exports.delete(token)
  }
}
