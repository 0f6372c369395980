import { readFileSync } from 'node:fs'

/** This runtime's version, from its package.json: what plugins' `waplug` ranges are checked against. */
export const WAPLUG_VERSION = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version
