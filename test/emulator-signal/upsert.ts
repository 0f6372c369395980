// Waiting for the real client to surface an incoming message.
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
