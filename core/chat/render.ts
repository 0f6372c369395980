import type { Envelope } from '../envelope.js'

/** An envelope as one chat message: the action's own words on success, the reason (and how to use it) on failure. */
export function renderReply(envelope: Envelope, options: { successText?: string; usage?: string }): string {
  if (envelope.status) return options.successText ?? `✅ ${envelope.message}`
  const lines = [`❌ ${envelope.error}`]
  if (envelope.code === 400 && options.usage) lines.push(`Usage: ${options.usage}`)
  return lines.join('\n')
}
