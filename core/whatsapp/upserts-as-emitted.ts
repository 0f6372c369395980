import type { BaileysEventMap, WASocket } from '@whiskeysockets/baileys'

type Upsert = BaileysEventMap['messages.upsert']

/**
 * Calls `handler` with each `messages.upsert` the moment Baileys emits it,
 * rather than when its event buffer lets it out. Baileys sends a message's
 * delivery receipt first and buffers the event (while it takes in the offline
 * backlog, for one); when the connection dies before the buffer is flushed,
 * it throws the buffer away, and WhatsApp, which has the receipt, never
 * delivers those messages again. Taken here, no message that was
 * acknowledged is lost with the connection.
 */
export function onUpsertAsEmitted(sock: WASocket, handler: (upsert: Upsert) => void, onError: (error: unknown) => void): void {
  const emit = sock.ev.emit.bind(sock.ev)
  const taken = <T extends keyof BaileysEventMap>(event: T, data: BaileysEventMap[T]): boolean => {
    if (event === 'messages.upsert') {
      // Inside Baileys' own call: nothing thrown here may reach it.
      try {
        handler(data as Upsert)
      } catch (error) {
        onError(error)
      }
    }
    return emit(event, data)
  }
  sock.ev.emit = taken
}
