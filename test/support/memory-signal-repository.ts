// Baileys' Signal repository over a store that keeps what it is given in a
// Map, as a database does between reads, for unit tests of Baileys' and
// libsignal's session handling without a socket.
import { addTransactionCapability, initAuthCreds, type AuthenticationCreds, type SignalDataSet, type SignalKeyStore } from '@whiskeysockets/baileys'
import { makeLibSignalRepository } from '@whiskeysockets/baileys/lib/Signal/libsignal.js'
import { pino } from 'pino'

const logger = pino({ level: 'silent' })

/** `data` holds each key as `<type>/<id>`; seed it (prekeys, say) before use. */
export function memorySignalRepository(data = new Map<string, unknown>(), creds: AuthenticationCreds = initAuthCreds()) {
  const store: SignalKeyStore = {
    get: async (type, ids) => Object.fromEntries(ids.flatMap((id) => (data.has(`${type}/${id}`) ? [[id, data.get(`${type}/${id}`)]] : []))) as never,
    set: async (set: SignalDataSet) => {
      for (const [type, values] of Object.entries(set)) {
        for (const [id, value] of Object.entries(values ?? {})) {
          if (value === null) data.delete(`${type}/${id}`)
          else data.set(`${type}/${id}`, value)
        }
      }
    },
  }
  const keys = addTransactionCapability(store, logger, { maxCommitRetries: 1, delayBetweenTriesMs: 0 })
  return { repository: makeLibSignalRepository({ creds, keys }, logger), keys, data }
}
