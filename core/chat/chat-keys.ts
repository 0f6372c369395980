/**
 * Every key the chat side writes in the runtime's store is built here, so
 * that when one runtime serves several WhatsApp sessions, the session id
 * joins each key in this one place.
 */
export const chatKeys = {
  /** What became of one message: started, answered (its reply waiting to go out) or done. */
  handled: (chat: string, messageId: string): string => `handled/${chat}/${messageId}`,
  /** The prefix of every `handled` key, to walk them all. */
  allHandled: (): string => 'handled/',
}
