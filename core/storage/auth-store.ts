import type { AuthenticationCreds, AuthenticationState } from '@whiskeysockets/baileys'

/**
 * The WhatsApp (Baileys) state of sessions: credentials and Signal keys. The
 * runtime knows only this seam, so that LMDB serves one machine and a shared
 * database can serve many without anything outside the store changing.
 *
 * What every implementation guarantees:
 * - a batch Baileys hands to `keys.set` commits in one transaction, together
 *   with the credentials as they are at that moment, so that after any crash
 *   the credentials and the stored keys agree;
 * - a write resolves only once it is durable, and a failed write rejects
 *   (Baileys retries its transaction), never silently;
 * - every key type Baileys gives is stored, binary as binary.
 */
export interface AuthStore {
  /** Opens a session's state; a session never stored opens with fresh credentials, to be paired. */
  open(session: string): Promise<SessionAuth>
  /** Whether the session has stored credentials. */
  has(session: string): Promise<boolean>
  /** Every session with stored credentials. */
  sessions(): Promise<string[]>
  /** Removes the session's credentials and keys in one transaction; writes still coming from an old connection are refused. */
  clear(session: string): Promise<void>
  /** Everything stored for a session, to copy it elsewhere; undefined when nothing is. */
  snapshot(session: string): Promise<AuthSnapshot | undefined>
  /**
   * Removes the session's keys of one type whose stored value `stale` picks, in
   * one transaction; gives how many. For the runtime's own records kept beside
   * Baileys' keys, which Baileys never removes. Does nothing once the store is
   * closed, nor after the session was cleared since it was read.
   */
  forget(session: string, type: string, stale: (value: unknown) => boolean): Promise<number>
  /** Replaces the session's state with a snapshot, in one transaction. */
  restore(session: string, snapshot: AuthSnapshot): Promise<void>
  /** Waits for pending writes and releases the store. */
  close(): Promise<void>
}

/** One opened session, handed to Baileys. */
export interface SessionAuth {
  /** Baileys changes `creds` in place and writes keys through `keys`. */
  readonly state: AuthenticationState
  /** False when nothing was stored: the session has to pair. */
  readonly registered: boolean
  /** Writes the credentials as they are now; resolves once durable. */
  readonly saveCreds: () => Promise<void>
}

export interface AuthSnapshot {
  creds: AuthenticationCreds
  keys: AuthKeyEntry[]
}

export interface AuthKeyEntry {
  /** Baileys' key type: 'pre-key', 'session', 'sender-key', 'lid-mapping', … */
  type: string
  id: string
  value: unknown
}

/** A copy of one session into another store (or under another name), e.g. a paired test session. */
export async function copySession(from: AuthStore, session: string, to: AuthStore, toSession = session): Promise<void> {
  const snapshot = await from.snapshot(session)
  if (!snapshot) throw new Error(`there is no stored WhatsApp session '${session}' to copy`)
  await to.restore(toSession, snapshot)
}
