import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { nearestPackageJson } from '../package-root.js'
import { pluginShapeProblem, type PluginDefinition } from './plugin.js'
import { readyToImport } from './typescript.js'

/** Beside core/ in both layouts: plugins/ (TypeScript) for the sources, dist/plugins/ (compiled) for dist/core/. */
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
    for (const candidate of [full, ...['index.ts', 'index.mts', 'index.js', 'index.mjs'].map((file) => path.join(full, file))]) {
      if (/\.[cm]?[jt]s$/.test(candidate) && existsSync(candidate)) return pathToFileURL(candidate).href
    }
    if (existsSync(path.join(full, 'package.json'))) return pathToFileURL(createRequire(path.join(full, 'package.json')).resolve(full)).href
    throw new Error(`no plugin at ${full} (expected an index.ts, index.js, index.mjs or package.json there)`)
  }
  try {
    return pathToFileURL(createRequire(path.join(cwd, 'package.json')).resolve(source)).href
  } catch (error) {
    if ((error as { code?: string }).code === 'MODULE_NOT_FOUND' && !source.startsWith('node:')) {
      throw new Error(`package '${source}' is not installed in ${cwd}; install it with: npm install ${source}`, { cause: error })
    }
    return source
  }
}

/** The `type` of the package.json that decides whether a .js file is an ES module. */
function packageTypeOf(file: string): string | undefined {
  const manifest = nearestPackageJson(path.dirname(file))
  return manifest ? (JSON.parse(readFileSync(manifest, 'utf8')) as { type?: string }).type : undefined
}

/**
 * waplug and Baileys are ES modules; a plugin loaded as CommonJS would fail
 * deep inside them with an error that names neither the plugin nor the fix.
 */
function checkModuleFormat(url: string): void {
  if (!url.startsWith('file:') || !url.endsWith('.js')) return
  const file = fileURLToPath(url)
  if (packageTypeOf(file) !== 'module') {
    throw new Error(`${file} is a CommonJS file; JavaScript plugins are ES modules: add "type": "module" to the package.json beside it (or name it index.mjs)`)
  }
}

export async function loadPlugin(source: string, cwd = process.cwd()): Promise<LoadedPlugin> {
  let url: string | undefined
  try {
    url = resolveSource(source, cwd)
    checkModuleFormat(url)
    await readyToImport(url)
    const module = (await import(url)) as { default?: unknown }
    const problem = pluginShapeProblem(module.default)
    return problem ? { source, error: problem } : { source, plugin: module.default as PluginDefinition }
  } catch (error) {
    return { source, error: `cannot be loaded: ${(await compileErrors(url)) ?? loadErrorText(error, url)}` }
  }
}

interface EsbuildMessage {
  text: string
  location: { file: string; line: number; column: number } | null
}

/**
 * A TypeScript file that does not compile fails to import with an error that,
 * depending on how it was loaded, holds the compiler's messages or only says
 * that it failed; compiling it again here gives them either way: file, line
 * and column (1-based, as editors count) and the compiler's text.
 */
async function compileErrors(url: string | undefined): Promise<string | undefined> {
  if (!url?.startsWith('file:') || !/\.[cm]?tsx?$/.test(url)) return undefined
  const file = fileURLToPath(url)
  try {
    // esbuild comes with tsx, which runs TypeScript plugins.
    const esbuild = createRequire(fileURLToPath(import.meta.resolve('tsx/esm/api')))('esbuild') as {
      transform(code: string, options: Record<string, unknown>): Promise<unknown>
    }
    await esbuild.transform(readFileSync(file, 'utf8'), { loader: file.endsWith('x') ? 'tsx' : 'ts', sourcefile: file, format: 'esm', target: 'node20' })
    return undefined
  } catch (error) {
    const messages = (error as { errors?: EsbuildMessage[] }).errors
    if (!messages?.length) return undefined
    return messages.map(({ text, location }) => (location ? `${location.file}:${location.line}:${location.column + 1}: ${text}` : text)).join('; ')
  }
}

/**
 * One line that says what to fix and where. A TypeScript plugin that does not
 * compile fails with "Transform failed with 1 error:" and the compiler's own
 * lines after it (file:line:column: ERROR: text); a JavaScript syntax error
 * names its file and line in its stack, if at all, so the file imported is named.
 */
export function loadErrorText(error: unknown, url?: string): string {
  if (!(error instanceof Error)) return String(error)
  const [first = '', ...rest] = error.message.split('\n')
  if (/^(Transform|Build) failed with \d+ errors?:?$/.test(first.trim())) {
    // esbuild counts columns from 0; editors from 1.
    const problems = rest.map((line) => line.trim().replace(/:(\d+): ERROR: /, (_, column: string) => `:${Number(column) + 1}: `)).filter(Boolean)
    if (problems.length) return problems.join('; ')
  }
  if (error instanceof SyntaxError && error.stack) {
    const where = /^(file:\/\/\S+?|\/\S+?):(\d+)$/m.exec(error.stack)
    if (where?.[1] && where[2]) {
      const file = where[1].startsWith('file:') ? fileURLToPath(where[1]) : where[1]
      return `${file}:${where[2]}: ${first}`
    }
    if (url?.startsWith('file:')) return `${fileURLToPath(url)}: ${first}`
  }
  return first || String(error)
}
