import type { SessionManager } from '../sessions/manager.js'
import type { SessionInfo } from '../sessions/session.js'
import type { WhatsAppClient } from '../sessions/whatsapp-client.js'

/** The sessions a plugin serves: every one but those that turned it off. */
export interface PluginSessions {
  /** Each session's id, state and number. */
  list(): Pick<SessionInfo, 'id' | 'state' | 'jid' | 'lid'>[]
  /** The session's connection, without its lifecycle; undefined when there is no such session or it turned the plugin off. */
  get(session: string): WhatsAppClient | undefined
}

export function pluginSessions(plugin: string, sessions: SessionManager): PluginSessions {
  const served = () => sessions.list().filter((session) => session.serves(plugin))
  return Object.freeze({
    list: () =>
      served().map((session) => {
        const { id, state, jid, lid } = session.info()
        return { id, state, jid, lid }
      }),
    get: (id: string) => {
      const session = sessions.get(id)
      return session?.serves(plugin) ? session.client : undefined
    },
  })
}
