// Waiting for the real client to surface events, with a deadline.
import type { WAMessage, WASocket } from '@whiskeysockets/baileys'

export function nextUpsert(sock: WASocket, pred: (m: WAMessage) => boolean, timeoutMs = 5000): Promise<WAMessage> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      sock.ev.off('messages.upsert', on)
      reject(new Error(`no matching messages.upsert within ${timeoutMs} ms`))
    }, timeoutMs)
    const on = ({ messages }: { messages: WAMessage[] }): void => {
      const m = messages.find(pred)
      if (!m) return
      clearTimeout(timer)
      sock.ev.off('messages.upsert', on)
      resolve(m)
    }
    sock.ev.on('messages.upsert', on)
  })
}

export function textOf(m: WAMessage): string | null | undefined {
  return m.message?.conversation ?? m.message?.extendedTextMessage?.text
}

/** `p`, or a rejection after `ms`, so a missing client event fails the test instead of hanging it. */
export async function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no ${what} within ${ms} ms`)), ms)
  })
  try {
    return await Promise.race([p, timeout])
  } finally {
    clearTimeout(timer)
  }
}
