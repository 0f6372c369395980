/** Every event type there is, for checking filters and the docs. */
export const EVENT_TYPES = [
  'message.received',
  'message.status',
  'group.participants',
  'group.updated',
  'session.state',
  'session.logged_out',
  'command.handled',
] as const

export type EventType = (typeof EVENT_TYPES)[number]

/** `message.*`, `*` or an exact type; undefined when the pattern matches no event there is. */
export function filterProblem(pattern: string): string | undefined {
  if (EVENT_TYPES.some((type) => matches(pattern, type))) return undefined
  return `'${pattern}' matches no event; use one of ${EVENT_TYPES.join(', ')}, a prefix like message.*, or *`
}

export function matches(pattern: string, type: string): boolean {
  if (pattern === '*') return true
  if (pattern.endsWith('.*')) return type.startsWith(pattern.slice(0, -1))
  return pattern === type
}

export function wants(patterns: readonly string[], type: string): boolean {
  return patterns.some((pattern) => matches(pattern, type))
}
