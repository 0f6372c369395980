import { createHash } from 'node:crypto'
import type { BinaryNode, WASocket } from '@whiskeysockets/baileys'

/** Recent messages kept; what WhatsApp delivers again comes on the next connection, not hours later. */
const REMEMBERED = 2000
/** A ciphertext seen under two message ids: never served from memory. */
const CONFLICT = ''

/**
 * Lets the bot read a message again when WhatsApp delivers it a second time.
 *
 * Baileys decrypts a message, which moves its Signal session past it, then
 * sends the delivery receipt, then hands the message over. When the
 * connection dies between the two, the receipt fails, the message is
 * dropped, and WhatsApp, which never got the receipt, delivers it again on
 * the next connection, where the session refuses it as already used: the
 * command is lost. So the text of recently decrypted messages is kept in
 * memory, by ciphertext, and handed back when the same ciphertext comes
 * again in a stanza with the same message id; the runtime's record of
 * handled messages then keeps it from running twice. A ciphertext replayed
 * under another id is decrypted as usual, and refused.
 */
export class ReadAgain {
  private readonly plain = new Map<string, { id: string; bytes: Uint8Array }>()
  /** The message id of the stanza that last carried each ciphertext. */
  private readonly carriedBy = new Map<string, string>()

  /** Applies to this socket's Signal repository; call before it receives anything. */
  attach(sock: WASocket): void {
    sock.ws.on('CB:message', (stanza: BinaryNode) => this.note(stanza))
    const repository = sock.signalRepository
    const decryptMessage = repository.decryptMessage.bind(repository)
    const decryptGroupMessage = repository.decryptGroupMessage.bind(repository)
    repository.decryptMessage = (opts) => this.read(opts.ciphertext, () => decryptMessage(opts))
    repository.decryptGroupMessage = (opts) => this.read(opts.msg, () => decryptGroupMessage(opts))
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

  private async read(ciphertext: Uint8Array, decrypt: () => Promise<Uint8Array>): Promise<Uint8Array> {
    const key = digest(ciphertext)
    const id = this.carriedBy.get(key)
    const known = this.plain.get(key)
    if (known && id !== undefined && id !== CONFLICT && known.id === id) return known.bytes
    const bytes = await decrypt()
    if (id !== undefined && id !== CONFLICT) remember(this.plain, key, { id, bytes })
    return bytes
  }
}

function digest(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('base64')
}

function remember<T>(map: Map<string, T>, key: string, value: T): void {
  map.delete(key)
  map.set(key, value)
  if (map.size > REMEMBERED) map.delete(map.keys().next().value as string)
}
