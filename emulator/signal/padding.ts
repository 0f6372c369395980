// WhatsApp pads every plaintext before Signal encryption: 1–16 bytes, each
// holding the pad length, so the receiver strips exactly that many.
import { randomInt } from 'node:crypto'

export function pad(plain: Uint8Array, length = randomInt(1, 17)): Buffer {
  if (length < 1 || length > 16) throw new RangeError(`pad length ${length} outside 1..16`)
  return Buffer.concat([plain, Buffer.alloc(length, length)])
}

export function unpad(padded: Uint8Array): Buffer {
  const n = padded[padded.length - 1]
  if (n === undefined || n < 1 || n > 16 || n > padded.length) throw new Error('invalid message padding')
  return Buffer.from(padded.subarray(0, padded.length - n))
}
