import { WhatsAppError } from './types.js'

interface BoomLike {
  isBoom?: boolean
  message: string
  data?: unknown
  output?: { statusCode?: number }
}

/**
 * Baileys reports a WhatsApp `<error code>` as a Boom whose `data` is the code,
 * a timeout as Boom 408 and a closed socket as Boom 428. Sorted here so the
 * pipeline can answer 504, 503, 429, 403 or 404 instead of a blanket 500.
 */
export function toWhatsAppError(error: unknown): WhatsAppError {
  if (error instanceof WhatsAppError) return error
  const boom = error as BoomLike
  const nodeCode = typeof boom.data === 'number' ? boom.data : undefined
  const status = boom.output?.statusCode
  const text = boom.message ?? String(error)
  if (nodeCode === undefined && status === 408) return new WhatsAppError('timeout', 'WhatsApp did not answer in time', 408, { cause: error })
  if (nodeCode === undefined && status === 428) return new WhatsAppError('not-connected', 'WhatsApp is not connected', 428, { cause: error })
  const code = nodeCode ?? status
  if (code === 429 || /rate-overlimit/.test(text)) return new WhatsAppError('rate-limited', text, 429, { cause: error })
  // "forbidden": the bot is not in the group; "not-authorized": it is, but not as an admin.
  if (/forbidden/.test(text)) return new WhatsAppError('not-member', text, code, { cause: error })
  if (code === 401 || code === 403 || /not-authorized/.test(text)) return new WhatsAppError('not-authorized', text, code, { cause: error })
  if (code === 404 || code === 406 || /item-not-found/.test(text)) return new WhatsAppError('not-found', text, code, { cause: error })
  return new WhatsAppError('failed', text, code, { cause: error })
}
