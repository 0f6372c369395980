import { existsSync, readdirSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { pluginShapeProblem, type PluginDefinition } from './plugin.js'

export const BUILTIN_PLUGIN_DIR = fileURLToPath(new URL('../../plugins/', import.meta.url))

export type LoadedPlugin = { source: string; plugin: PluginDefinition } | { source: string; error: string }

/** Each folder under the built-in plugin directory that has an index file. */
export function builtinPluginSources(dir = BUILTIN_PLUGIN_DIR): string[] {
  if (!existsSync(dir)) return []
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => path.join(dir, entry.name))
    .filter((folder) => ['index.ts', 'index.js', 'package.json'].some((file) => existsSync(path.join(folder, file))))
    .sort()
}

/** Paths (`./my-plugins/hello`) resolve from the working directory; anything else is a package name. */
function resolveSource(source: string, cwd: string): string {
  if (source.startsWith('.') || path.isAbsolute(source)) {
    const full = path.resolve(cwd, source)
    for (const candidate of [full, path.join(full, 'index.ts'), path.join(full, 'index.js')]) {
      if (/\.[cm]?[jt]s$/.test(candidate) && existsSync(candidate)) return pathToFileURL(candidate).href
    }
    if (existsSync(path.join(full, 'package.json'))) return pathToFileURL(createRequire(path.join(full, 'package.json')).resolve(full)).href
    throw new Error(`no plugin at ${full} (expected an index.ts, index.js or package.json there)`)
  }
  try {
    return pathToFileURL(createRequire(path.join(cwd, 'package.json')).resolve(source)).href
  } catch {
    return source
  }
}

export async function loadPlugin(source: string, cwd = process.cwd()): Promise<LoadedPlugin> {
  try {
    const module = (await import(resolveSource(source, cwd))) as { default?: unknown }
    const problem = pluginShapeProblem(module.default)
    return problem ? { source, error: problem } : { source, plugin: module.default as PluginDefinition }
  } catch (error) {
    const message = (error as Error).message.split('\n')[0] ?? String(error)
    return { source, error: `cannot be loaded: ${message}` }
  }
}
