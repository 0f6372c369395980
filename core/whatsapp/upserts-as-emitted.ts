import type { BaileysEventMap, WASocket } from '@whiskeysockets/baileys'

type Upsert = BaileysEventMap['messages.upsert']
type Handlers = { [E in keyof BaileysEventMap]?: (data: BaileysEventMap[E]) => void }

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
  onEventsAsEmitted(sock, { 'messages.upsert': handler }, onError)
}

/**
 * Calls each handler with its event the moment Baileys emits it, before its
 * event buffer can hold it back or fold it into another: a receipt for a
 * message whose own upsert still waits in the buffer becomes part of that
 * message, and no `message-receipt.update` or `messages.update` is emitted.
 */
export function onEventsAsEmitted(sock: WASocket, handlers: Handlers, onError: (error: unknown) => void): void {
  const emit = sock.ev.emit.bind(sock.ev)
  const taken = <T extends keyof BaileysEventMap>(event: T, data: BaileysEventMap[T]): boolean => {
    const handler = handlers[event]
    if (handler) {
      // Inside Baileys' own call: nothing thrown here may reach it.
      try {
        handler(data)
      } catch (error) {
        onError(error)
      }
    }
    return emit(event, data)
  }
  sock.ev.emit = taken
}
