// The client's byte stream: a one-time intro (optionally preceded by an edge
// routing block), then frames of 3-byte big-endian length + payload.
// WebSocket messages do not align with frames, so bytes are buffered here.

export const WA_INTRO = Buffer.from([0x57, 0x41, 0x06, 0x03])
const MAX_FRAME = 0xffffff

export class FrameReader {
  private buf: Buffer = Buffer.alloc(0)
  private introSeen = false
  /** The exact intro bytes, which the noise handshake mixes into its hash. */
  intro: Buffer | undefined

  push(data: Buffer): Buffer[] {
    this.buf = this.buf.length === 0 ? data : Buffer.concat([this.buf, data])
    if (!this.introSeen && !this.readIntro()) return []
    const frames: Buffer[] = []
    while (this.buf.length >= 3) {
      const size = (this.buf[0]! << 16) | (this.buf[1]! << 8) | this.buf[2]!
      if (this.buf.length < size + 3) break
      frames.push(this.buf.subarray(3, size + 3))
      this.buf = this.buf.subarray(size + 3)
    }
    return frames
  }

  private readIntro(): boolean {
    let start = 0
    // A client that was once told its edge routing sends "ED" 0 1 len24 info first.
    if (this.buf.length >= 2 && this.buf[0] === 0x45 && this.buf[1] === 0x44) {
      if (this.buf.length < 7) return false
      const len = (this.buf[4]! << 16) | this.buf.readUInt16BE(5)
      start = 7 + len
    }
    if (this.buf.length < start + WA_INTRO.length) return false
    const header = this.buf.subarray(start, start + WA_INTRO.length)
    if (header[0] !== 0x57 || header[1] !== 0x41) throw new Error('bad intro: not a WA client')
    // Only the 4-byte WA header is hashed by the client, not the routing block.
    this.intro = Buffer.from(header)
    this.buf = this.buf.subarray(start + WA_INTRO.length)
    this.introSeen = true
    return true
  }
}

export function encodeFrame(payload: Uint8Array): Buffer {
  if (payload.length > MAX_FRAME) throw new Error(`frame too large: ${payload.length}`)
  const out = Buffer.allocUnsafe(3 + payload.length)
  out[0] = (payload.length >>> 16) & 0xff
  out[1] = (payload.length >>> 8) & 0xff
  out[2] = payload.length & 0xff
  out.set(payload, 3)
  return out
}
