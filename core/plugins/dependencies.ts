import { StartupError } from '../errors.js'

export interface Dependent {
  name: string
  dependsOn: readonly string[]
}

/**
 * Orders plugins so that each comes after the plugins it depends on, keeping
 * the given order where dependencies allow. A missing or circular dependency
 * stops the start with a line naming the plugins: the runtime cannot choose
 * which of them the operator would rather do without.
 */
export function orderByDependencies<T extends Dependent>(items: T[], disabled: readonly string[] = []): T[] {
  const byName = new Map(items.map((item) => [item.name, item]))
  const done = new Set<T>()
  const ordered: T[] = []
  const visit = (item: T, chain: string[]): void => {
    if (done.has(item)) return
    const at = chain.indexOf(item.name)
    if (at !== -1) {
      const circle = [...chain.slice(at), item.name].map((name) => `'${name}'`).join(' → ')
      throw new StartupError(`Plugins depend on each other in a circle: ${circle}; remove one of these dependsOn entries`)
    }
    for (const name of item.dependsOn) {
      const dependency = byName.get(name)
      if (!dependency) {
        const why = disabled.includes(name) ? `which disabledPlugins turns off; enable '${name}' or disable '${item.name}' too` : `which is not loaded; add '${name}' to plugins, or remove it from the dependsOn of '${item.name}'`
        throw new StartupError(`Plugin '${item.name}' depends on '${name}', ${why}`)
      }
      visit(dependency, [...chain, item.name])
    }
    done.add(item)
    ordered.push(item)
  }
  for (const item of items) visit(item, [])
  return ordered
}
