import type { WASocket } from '@whiskeysockets/baileys'
import type { WhatsApp } from '../whatsapp/types.js'

/**
 * What plugins get of a session's connection: everything but its lifecycle.
 * Starting, stopping and logging out a number is the operator's call (the
 * `/sessions` routes), never a plugin's.
 */
export type WhatsAppClient = Omit<WhatsApp, 'start' | 'stop' | 'logout'> & {
  /** The session this client speaks for. */
  readonly session: string
}

const LIFECYCLE = ['start', 'stop', 'logout'] as const
/** Socket members that end or unlink the connection. */
const SOCKET_LIFECYCLE = new Set<PropertyKey>(['logout', 'end'])

function refusal(session: string, what: string): Error {
  return new Error(
    `Plugins cannot ${what} the WhatsApp session '${session}': the operator does that over HTTP (POST /sessions/${session}/logout, DELETE /sessions/${session})`,
  )
}

/** A live view of the session's connection, without the methods that stop or unlink it. */
export function whatsAppClient(session: string, whatsapp: WhatsApp): WhatsAppClient {
  let socketView: { raw: WASocket; view: WASocket } | undefined
  const client = {
    session,
    get state() {
      return whatsapp.state
    },
    get me() {
      return whatsapp.me
    },
    get qr() {
      return whatsapp.qr
    },
    get pairingCode() {
      return whatsapp.pairingCode
    },
    get socket() {
      const raw = whatsapp.socket
      if (!raw) return undefined
      if (socketView?.raw !== raw) socketView = { raw, view: guardedSocket(session, raw) }
      return socketView.view
    },
    get groups() {
      return whatsapp.groups
    },
    onState: (listener) => whatsapp.onState(listener),
    onMessage: (listener) => whatsapp.onMessage(listener),
    onGroupEvent: (listener) => whatsapp.onGroupEvent(listener),
    onMessageStatus: (listener) => whatsapp.onMessageStatus(listener),
    send: (chat, message, options) => whatsapp.send(chat, message, options),
    sendText: (chat, text, options) => whatsapp.sendText(chat, text, options),
    markRead: (chat, messages) => whatsapp.markRead(chat, messages),
    sendPresence: (chat, presence) => whatsapp.sendPresence(chat, presence),
    checkNumbers: (phones) => whatsapp.checkNumbers(phones),
    downloadMedia: (message) => whatsapp.downloadMedia(message),
  } satisfies WhatsAppClient
  // Present but refusing, so plain JavaScript (or a cast) learns why instead of "is not a function".
  for (const name of LIFECYCLE) {
    Object.defineProperty(client, name, {
      enumerable: false,
      value: () => Promise.reject(refusal(session, name === 'logout' ? 'log out' : name)),
    })
  }
  return Object.freeze(client)
}

function guardedSocket(session: string, socket: WASocket): WASocket {
  return new Proxy(socket, {
    get(target, property, receiver) {
      if (SOCKET_LIFECYCLE.has(property)) {
        throw refusal(session, property === 'logout' ? 'log out' : 'end')
      }
      return Reflect.get(target, property, receiver) as unknown
    },
  })
}
