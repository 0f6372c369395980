/** Applies waplug's patches/ to the copies of the patched packages that the code in `root` (default: waplug's folder) loads; one line per package. */
export function applyPatches(options?: { root?: string; patchDir?: string }): string[]
