import { createHash } from 'node:crypto'
import type { BinaryNode, SignalDataSet, SignalDataTypeMap, WASocket } from '@whiskeysockets/baileys'
import { sendLock } from './one-session-writer.js'

/** The key type, beside Baileys' own in the auth store, of the texts kept for a message delivered again. */
export const READ_AGAIN_TYPE = 'read-again'
/**
 * How long a connection must have stayed open before the texts kept from
 * before it are forgotten: WhatsApp delivers again what was not acknowledged
 * as soon as the next connection opens.
 */
export const READ_AGAIN_KEEP_MS = 10 * 60_000
/** Ciphertexts whose carrying message id is remembered; what WhatsApp delivers again comes on the next connection. */
const REMEMBERED = 2000
/** A ciphertext seen under two message ids: never served from the store. */
const CONFLICT = ''

type Keys = WASocket['authState']['keys']
interface Kept {
  /** The id of the message that carried the ciphertext. */
  id: string
  plain: Uint8Array
  /** When it was decrypted (ms since the epoch). */
  at: number
}

/**
 * Lets the bot read a message again when WhatsApp delivers it a second time,
 * also after the runtime was killed.
 *
 * Baileys decrypts a message, which moves its Signal session past it and
 * commits the session, then sends the delivery receipt, then hands the
 * message over. When the connection or the process dies between the two,
 * WhatsApp, which never got the receipt, delivers the message again on the
 * next connection, where the stored session refuses it as already used: the
 * contact's phone has to send it again on a retry receipt, or the command
 * is lost. So the text of every decrypted message is stored in the auth
 * store (type READ_AGAIN_TYPE, by ciphertext digest, with its message id) in
 * the same key transaction as the session its decryption moved on: Baileys
 * buffers every key write made inside a transaction, nested ones included,
 * and commits them in one `keys.set`, which the store commits whole. After
 * any crash either neither is stored (the copy decrypts as the first did) or
 * both are, and the copy, the same ciphertext in a stanza with the same
 * message id, is served from the stored text; the runtime's record of handled
 * messages then keeps it from running twice. A ciphertext replayed under
 * another id is decrypted as usual, and refused.
 *
 * The texts are message plaintext, kept only while WhatsApp may still deliver
 * them again: once a connection has stayed open READ_AGAIN_KEEP_MS, what was
 * kept before it opened (and before READ_AGAIN_KEEP_MS ago) is forgotten,
 * every READ_AGAIN_KEEP_MS while it stays open. While the bot is down they stay
 * stored, since the copy comes only when it is back; logging out clears them
 * with the rest of the session.
 */
export class ReadAgain {
  /** The message id of the stanza that last carried each ciphertext. */
  private readonly carriedBy = new Map<string, string>()
  private sweeper: NodeJS.Timeout | undefined

  /** `forget` removes the texts kept before a time; `failed` hears a sweep that failed. */
  constructor(
    private readonly forget: (before: number) => Promise<unknown>,
    private readonly failed: (error: unknown) => void,
    private readonly keepMs = READ_AGAIN_KEEP_MS,
  ) {}

  /** Applies to this socket's Signal repository; call before it receives anything. */
  attach(sock: WASocket): void {
    sock.ws.on('CB:message', (stanza: BinaryNode) => this.note(stanza))
    const repository = sock.signalRepository
    const { keys } = sock.authState
    const decryptMessage = repository.decryptMessage.bind(repository)
    const decryptGroupMessage = repository.decryptGroupMessage.bind(repository)
    // Opened under the key Baileys' own transaction would take (a nested one only joins the outer one):
    // the sender's group for a group message, the bot's own id for the rest (see one-session-writer.ts).
    repository.decryptMessage = (opts) => keys.transaction(() => this.read(keys, opts.ciphertext, () => decryptMessage(opts)), sendLock(sock))
    repository.decryptGroupMessage = (opts) => keys.transaction(() => this.read(keys, opts.msg, () => decryptGroupMessage(opts)), opts.group)
  }

  /** A connection opened: while it stays open, older texts are forgotten every keepMs. */
  opened(): void {
    this.closed()
    this.sweeper = setInterval(() => {
      this.forget(Date.now() - this.keepMs).catch(this.failed)
    }, this.keepMs)
    this.sweeper.unref()
  }

  /** The connection ended: what it did not get to read again is kept for the next one. */
  closed(): void {
    clearInterval(this.sweeper)
    this.sweeper = undefined
  }

  private note(stanza: BinaryNode): void {
    const id = stanza.attrs.id
    if (!id || !Array.isArray(stanza.content)) return
    for (const child of stanza.content) {
      if (child.tag !== 'enc' || !(child.content instanceof Uint8Array)) continue
      const key = digest(child.content)
      const before = this.carriedBy.get(key)
      remember(this.carriedBy, key, before === undefined || before === id ? id : CONFLICT)
    }
  }

  /** Runs inside a key transaction: what it stores commits with the session state `decrypt` moved on, or not at all. */
  private async read(keys: Keys, ciphertext: Uint8Array, decrypt: () => Promise<Uint8Array>): Promise<Uint8Array> {
    const key = digest(ciphertext)
    const id = this.carriedBy.get(key)
    if (id === undefined || id === CONFLICT) return decrypt()
    const kept = await load(keys, key)
    if (kept && kept.id === id) return kept.plain
    const plain = await decrypt()
    const value: Kept = { id, plain: Buffer.from(plain), at: Date.now() }
    await keys.set({ [READ_AGAIN_TYPE]: { [key]: value } } as unknown as SignalDataSet)
    return plain
  }
}

/** Whether a stored text was kept before `before` (or is not one): what a sweep removes. */
export function keptBefore(before: number): (value: unknown) => boolean {
  return (value) => {
    const at = (value as Partial<Kept> | null | undefined)?.at
    return typeof at !== 'number' || at < before
  }
}

async function load(keys: Keys, key: string): Promise<Kept | undefined> {
  const found = await keys.get(READ_AGAIN_TYPE as keyof SignalDataTypeMap, [key])
  const value = found[key] as Partial<Kept> | undefined
  return typeof value?.id === 'string' && value.plain instanceof Uint8Array ? (value as Kept) : undefined
}

function digest(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('base64url')
}

function remember<T>(map: Map<string, T>, key: string, value: T): void {
  map.delete(key)
  map.set(key, value)
  if (map.size > REMEMBERED) map.delete(map.keys().next().value as string)
}
