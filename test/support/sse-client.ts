// A Server-Sent Events client for tests, over fetch with a streaming body:
// each event's `id:`, `event:` and `data:` (JSON) fields, comments skipped.
export interface SseEvent {
  id: string
  event: string
  data: { id: string; type: string; session: string; timestamp: string; data: Record<string, unknown> }
}

/** Opens a stream and keeps every event it reads, in order. */
export class SseClient {
  readonly events: SseEvent[] = []
  status = 0
  contentType = ''
  private readonly abort = new AbortController()
  private buffer = ''
  private reading: Promise<void> = Promise.resolve()
  private waiters: (() => void)[] = []

  static async open(url: string, headers: Record<string, string>): Promise<SseClient> {
    const client = new SseClient()
    const response = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: client.abort.signal })
    client.status = response.status
    client.contentType = response.headers.get('content-type') ?? ''
    if (response.status !== 200 || !response.body) {
      await response.body?.cancel()
      return client
    }
    client.reading = client.read(response.body)
    return client
  }

  private async read(body: ReadableStream<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder()
    try {
      for await (const chunk of body) {
        this.buffer += decoder.decode(chunk, { stream: true })
        let end: number
        while ((end = this.buffer.indexOf('\n\n')) >= 0) {
          const block = this.buffer.slice(0, end)
          this.buffer = this.buffer.slice(end + 2)
          this.take(block)
        }
      }
    } catch (error) {
      if ((error as Error).name !== 'AbortError') throw error
    }
  }

  /** One event's lines: `field: value`; lines starting with `:` are comments. */
  private take(block: string): void {
    const fields: Record<string, string> = {}
    for (const line of block.split('\n')) {
      if (line.startsWith(':') || !line.includes(':')) continue
      const at = line.indexOf(':')
      const value = line.slice(at + 1).replace(/^ /, '')
      const field = line.slice(0, at)
      fields[field] = field === 'data' && fields.data !== undefined ? `${fields.data}\n${value}` : value
    }
    if (fields.data === undefined) return
    this.events.push({ id: fields.id ?? '', event: fields.event ?? 'message', data: JSON.parse(fields.data) as SseEvent['data'] })
    for (const waiter of this.waiters.splice(0)) waiter()
  }

  /** Waits until at least `count` events were read. */
  async atLeast(count: number, what: string, timeoutMs = 5000): Promise<SseEvent[]> {
    const deadline = Date.now() + timeoutMs
    while (this.events.length < count) {
      const left = deadline - Date.now()
      if (left <= 0) throw new Error(`the stream never gave ${what}: it gave ${JSON.stringify(this.events.map((e) => [e.id, e.event]))}`)
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 100))
        this.waiters.push(() => {
          clearTimeout(timer)
          resolve()
        })
      })
    }
    return this.events
  }

  /** Waits a moment to be sure nothing more arrives. */
  async quiet(ms = 200): Promise<SseEvent[]> {
    await new Promise((resolve) => setTimeout(resolve, ms))
    return this.events
  }

  async close(): Promise<void> {
    this.abort.abort()
    await this.reading
  }
}
