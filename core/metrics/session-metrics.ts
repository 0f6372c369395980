import type { SessionManager } from '../sessions/manager.js'
import type { Session } from '../sessions/session.js'
import type { ConnectionState } from '../whatsapp/types.js'
import type { Metrics } from './metrics.js'

const STATES: ConnectionState[] = ['connecting', 'pairing', 'open', 'closed', 'logged-out']

/**
 * Per-session WhatsApp metrics: the connection state (read at each scrape, so
 * it is never stale), reconnects, and messages in and out. Returns what stops watching.
 */
export function watchSessions(metrics: Metrics, sessions: SessionManager): () => void {
  metrics.gauge('waplug_whatsapp_connection_state', 'Each session\'s WhatsApp connection state: 1 for its current state, 0 for the others', ['session', 'state'], (gauge) => {
    gauge.reset()
    for (const session of sessions.list()) {
      for (const state of STATES) gauge.set({ session: session.id, state }, session.whatsapp.state === state ? 1 : 0)
    }
  })
  metrics.gauge('waplug_sessions', 'Sessions this runtime serves', [], (gauge) => gauge.set(sessions.list().length))

  const watching = new Map<string, () => void>()
  const watch = (session: Session) => {
    if (watching.has(session.id)) return
    const id = session.id
    let connectedBefore = false
    const offState = session.whatsapp.onState((state) => {
      if (state !== 'connecting') return
      // The first connection is not a reconnect; each one after it is (a drop, WhatsApp's restart after pairing, a re-pair).
      if (connectedBefore) metrics.reconnects.inc({ session: id })
      connectedBefore = true
    })
    const offMessage = session.whatsapp.onMessage(() => {
      metrics.messagesIn.inc({ session: id })
    })
    const offStatus = session.whatsapp.onMessageStatus((status) => {
      // In groups each member's receipt comes on its own; the server's ack comes once per message.
      if (status.status === 'sent' && status.recipient === undefined) metrics.messagesOut.inc({ session: id })
    })
    // Present from the start, so a rate is 0 rather than missing before the first message.
    metrics.reconnects.inc({ session: id }, 0)
    metrics.messagesIn.inc({ session: id }, 0)
    metrics.messagesOut.inc({ session: id }, 0)
    watching.set(id, () => {
      offState()
      offMessage()
      offStatus()
    })
  }
  for (const session of sessions.list()) watch(session)
  const offAdded = sessions.onAdded(watch)
  const offRemoved = sessions.onRemoved((session) => {
    watching.get(session.id)?.()
    watching.delete(session.id)
    for (const metric of [metrics.reconnects, metrics.messagesIn, metrics.messagesOut]) metric.remove({ session: session.id })
  })
  return () => {
    offAdded()
    offRemoved()
    for (const stop of watching.values()) stop()
    watching.clear()
  }
}
