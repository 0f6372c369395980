import { badRequest, chatJidOf, notFound, tooManyRequests, toUserJid, WhatsAppError, type SentMessage } from 'waplug'

/** What every send answers: WhatsApp's id for the message, its chat, and when the server took it. */
export interface SentData {
  id: string
  chat: string
  timestamp: number
}

/** `to` (or a path's `:jid`) as a chat jid; what is wrong with it, in words, otherwise. */
export function recipient(to: string, field = 'to'): string {
  const found = chatJidOf(to)
  if ('error' in found) throw badRequest(`${field}: ${found.error}`)
  return found.jid
}

/** People to @mention: those given, else every `@<number>` written in the text. */
export function mentionsOf(text: string | undefined, given: string[] | undefined): string[] {
  if (given?.length) {
    return given.map((person) => {
      const jid = toUserJid(person)
      if (!jid) throw badRequest(`mentions: '${person}' is not a phone number or WhatsApp id`)
      return jid
    })
  }
  return [...new Set([...(text ?? '').matchAll(/@(\d{7,15})\b/g)].map((match) => `${match[1]}@s.whatsapp.net`))]
}

/**
 * Runs a send; the pacing's refusal becomes a 429 that says why and when to
 * try again, and a message WhatsApp does not know a 404.
 */
export async function sending(send: () => Promise<SentMessage>): Promise<SentData> {
  try {
    const { id, chat, timestamp } = await send()
    return { id, chat, timestamp }
  } catch (error) {
    throw inWords(error)
  }
}

export function inWords(error: unknown): unknown {
  if (!(error instanceof WhatsAppError)) return error
  if (error.kind === 'rate-limited') {
    const seconds = error.retryAfterSeconds ?? 1
    return tooManyRequests(`Not sent: ${error.message}. Try again in ${seconds} s, or send less often (messages.pacing)`, seconds)
  }
  if (error.kind === 'not-found') return notFound(`WhatsApp does not know that: ${error.message}`)
  return error
}

export const TO = { type: 'string', title: 'to', minLength: 1, maxLength: 120 } as const
export const MESSAGE_ID = { type: 'string', title: 'message id', minLength: 1, maxLength: 128, pattern: '^[A-Za-z0-9_.:-]+$' } as const
export const MENTIONS = { type: 'array', title: 'mentions', maxItems: 256, items: { type: 'string', minLength: 1, maxLength: 120 } } as const
export const TYPING = { type: 'boolean', title: 'typing' } as const
/** A received message to reply to (quote), by id. */
export const REPLY_TO = MESSAGE_ID

export const sentReply = (data: SentData): string => `✅ Sent (id ${data.id})`
