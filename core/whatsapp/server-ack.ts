import type { BinaryNode, WASocket } from '@whiskeysockets/baileys'
import { WhatsAppError } from './types.js'

export interface ServerAck {
  /** Resolves on the server's ack; rejects when it refuses the message, the connection closes first, or time runs out. */
  readonly taken: Promise<void>
  /** Stops listening, e.g. when the send itself failed. */
  cancel(): void
}

/**
 * Waits for WhatsApp's server to acknowledge message `id`. Baileys resolves
 * a send once the bytes are handed to the socket, which a connection that is
 * dying still accepts; only the server's `<ack class="message">` says the
 * message got there. Start waiting before sending: the ack can come first.
 */
export function awaitServerAck(sock: WASocket, id: string, timeoutMs: number): ServerAck {
  let finish: (error?: WhatsAppError) => void = () => undefined
  const taken = new Promise<void>((resolve, reject) => {
    const onAck = (node: BinaryNode) => {
      if (node.tag !== 'ack' || node.attrs.class !== 'message') return
      const code = node.attrs.error
      finish(code ? new WhatsAppError('failed', `WhatsApp refused the message (error ${code})`, Number(code)) : undefined)
    }
    // A network failure closes the WebSocket; Baileys ending the socket itself (a 515, a stop) shows as the connection closing.
    const onSocketClose = () => finish(lost())
    const onUpdate = (update: { connection?: string }) => {
      if (update.connection === 'close') finish(lost())
    }
    const timer = setTimeout(() => finish(new WhatsAppError('timeout', 'WhatsApp did not confirm the message in time', 408)), timeoutMs)
    sock.ws.on(`TAG:${id}`, onAck)
    sock.ws.on('close', onSocketClose)
    sock.ev.on('connection.update', onUpdate)
    finish = (error) => {
      clearTimeout(timer)
      sock.ws.off(`TAG:${id}`, onAck)
      sock.ws.off('close', onSocketClose)
      sock.ev.off('connection.update', onUpdate)
      finish = () => undefined
      if (error) reject(error)
      else resolve()
    }
  })
  // Whoever sends awaits it after the send; until then a rejection must not count as unhandled.
  taken.catch(() => undefined)
  return { taken, cancel: () => finish() }
}

const lost = () => new WhatsAppError('not-connected', 'The connection to WhatsApp closed before it took the message', 428)
