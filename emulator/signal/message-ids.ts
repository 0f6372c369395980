import { randomBytes } from 'node:crypto'

/** Ids shaped like a phone's (uppercase hex), unique enough for a test run. */
export function newMessageId(): string {
  return '3A' + randomBytes(9).toString('hex').toUpperCase()
}
