import semver from 'semver'
import { WAPLUG_VERSION } from '../version.js'

/**
 * Why a plugin cannot run on this waplug, or undefined when it can. A plugin
 * without a `waplug` range is taken to support any version.
 */
export function compatibilityProblem(plugin: { name: string; waplug?: string }, runtimeVersion = WAPLUG_VERSION): string | undefined {
  const range = plugin.waplug
  if (range === undefined) return undefined
  if (typeof range !== 'string' || semver.validRange(range) === null) {
    return `its waplug range ${JSON.stringify(range)} is not a semver range; write one such as '^${runtimeVersion}'`
  }
  // Pre-releases count: a plugin for ^0.2.0 runs on 0.2.0-rc.1 as its authors would expect.
  if (semver.satisfies(runtimeVersion, range, { includePrerelease: true })) return undefined
  return `it supports waplug ${range}, but this is waplug ${runtimeVersion}; install a release of '${plugin.name}' made for ${runtimeVersion}, or a waplug in ${range}`
}
