// A webhook receiver for tests: a real HTTP server on 127.0.0.1 that keeps
// every request and answers as the test tells it (status, headers, delay).
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Webhook } from 'standardwebhooks'

export interface Received {
  headers: IncomingHttpHeaders
  body: string
  at: number
  /** What the receiver answered. */
  status: number
}

export interface Payload {
  id: string
  type: string
  session: string
  timestamp: string
  data: Record<string, unknown>
}

export type Answer = { status: number; headers?: Record<string, string>; delayMs?: number }

export class WebhookReceiver {
  readonly received: Received[] = []
  /** Answers for the next requests, in order; then `fallback`. */
  readonly script: Answer[] = []
  fallback: Answer = { status: 204 }
  /** Requests read and not answered yet (a slow answer's delay). */
  pending = 0
  private server: Server | undefined
  private port = 0
  private waiters: (() => void)[] = []

  get url(): string {
    return `http://127.0.0.1:${this.port}/hooks`
  }

  async start(port = 0): Promise<void> {
    const server = createServer((req, res) => {
      let body = ''
      req.on('data', (chunk: Buffer) => (body += chunk.toString()))
      req.on('end', () => {
        const answer = this.script.shift() ?? this.fallback
        this.pending++
        for (const waiter of this.waiters.splice(0)) waiter()
        const reply = () => {
          this.pending--
          this.received.push({ headers: req.headers, body, at: Date.now(), status: answer.status })
          res.writeHead(answer.status, answer.headers).end()
          for (const waiter of this.waiters.splice(0)) waiter()
        }
        if (answer.delayMs) setTimeout(reply, answer.delayMs)
        else reply()
      })
    })
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve))
    this.server = server
    this.port = (server.address() as AddressInfo).port
  }

  /** Stops answering (connections are refused), keeping the port for start() again. */
  async stop(): Promise<void> {
    const server = this.server
    this.server = undefined
    if (!server) return
    server.closeAllConnections()
    await new Promise<void>((resolve) => server.close(() => resolve()))
  }

  /** Starts again on the same port, as a receiver back from an outage. */
  async restart(): Promise<void> {
    await this.start(this.port)
  }

  /** What was taken (2xx), verified with the subscription's secret as a receiver would; throws on a bad signature. */
  delivered(secret: string): Payload[] {
    const webhook = new Webhook(secret)
    return this.received
      .filter((r) => r.status >= 200 && r.status < 300)
      .map((r) => webhook.verify(r.body, r.headers as Record<string, string>) as Payload)
  }

  /** Waits until `check` holds on what was received. */
  async until(check: (received: Received[]) => boolean, what: string, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs
    while (!check(this.received)) {
      const left = deadline - Date.now()
      if (left <= 0) throw new Error(`the webhook receiver never saw ${what}; it got ${this.received.length} requests: ${this.received.map((r) => `${r.status} ${r.body.slice(0, 80)}`).join(' | ')}`)
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 200))
        this.waiters.push(() => {
          clearTimeout(timer)
          resolve()
        })
      })
    }
  }
}
