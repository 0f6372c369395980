import type { JsonSchema } from '../../validation.js'

/** The `:session` of every `/sessions/:session/…` route. */
export const SESSION_PARAM: JsonSchema = {
  type: 'string',
  pattern: '^[a-z0-9_-]{1,32}$',
  description: 'A session id (`default` is the first number); GET /sessions lists them.',
  examples: ['default'],
}
