import { readFileSync } from 'node:fs'
import path from 'node:path'
import { PACKAGE_ROOT } from './package-root.js'

/** This runtime's version, from its package.json: what plugins' `waplug` ranges are checked against. */
export const WAPLUG_VERSION = (JSON.parse(readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version
