import type { SignalDataSet, SignalKeyStore } from '@whiskeysockets/baileys'

/**
 * Receiving chains kept in each Signal session: as many as Signal's own
 * libraries keep (libsignal's SessionState drops the oldest beyond five).
 * The libsignal Baileys uses keeps every one, one more each time a contact
 * answers after the bot wrote, so the session of a busy chat grew without end,
 * in memory and in the store, and every message read and wrote it whole.
 * An older chain only serves a message that arrives after five newer turns
 * of the conversation; one that does is asked for again, as any message the
 * bot cannot decrypt.
 */
export const RECEIVING_CHAINS_KEPT = 5
/** libsignal's ChainType.RECEIVING. */
const RECEIVING = 2

interface StoredChain {
  chainType?: number
}

interface StoredSession {
  _chains?: Record<string, StoredChain>
}

/** A serialized SessionRecord with only its newest receiving chains in each session (chains are kept in the order they were made). */
export function boundSessionRecord<T>(record: T): T {
  const sessions = (record as { _sessions?: Record<string, StoredSession> } | null | undefined)?._sessions
  if (!sessions || typeof sessions !== 'object') return record
  let changed = false
  const bounded: Record<string, StoredSession> = {}
  for (const [base, session] of Object.entries(sessions)) {
    const chains = session?._chains
    const receiving = chains ? Object.keys(chains).filter((key) => chains[key]?.chainType === RECEIVING) : []
    if (!chains || receiving.length <= RECEIVING_CHAINS_KEPT) {
      bounded[base] = session
      continue
    }
    const dropped = new Set(receiving.slice(0, receiving.length - RECEIVING_CHAINS_KEPT))
    bounded[base] = { ...session, _chains: Object.fromEntries(Object.entries(chains).filter(([key]) => !dropped.has(key))) }
    changed = true
  }
  return changed ? { ...record, _sessions: bounded } : record
}

/** The key store, with every Signal session it is given bounded on the way in (see {@link RECEIVING_CHAINS_KEPT}). */
export function withBoundedSessions(keys: SignalKeyStore): SignalKeyStore {
  return {
    get: (type, ids) => keys.get(type, ids),
    set: (data: SignalDataSet) => {
      const sessions = data.session
      if (!sessions) return keys.set(data)
      const bounded: typeof sessions = {}
      for (const [id, record] of Object.entries(sessions)) bounded[id] = record && boundSessionRecord(record)
      return keys.set({ ...data, session: bounded })
    },
    ...(keys.clear ? { clear: () => keys.clear?.() } : {}),
  }
}
