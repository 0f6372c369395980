// One client WebSocket: intro and framing, the noise handshake, then
// decrypted binary nodes in, encrypted binary nodes out. It decides nothing
// about the protocol above transport: IQs and stanzas go to the Router.
import { decodeBinaryNode, encodeBinaryNode, type proto } from '@whiskeysockets/baileys'
import type { WsSocket } from './ws-server.js'
import { type BinaryNode, node } from '../wire/binary-node.js'
import { encodeFrame, FrameReader } from '../wire/frames.js'
import { NoiseResponder, type TransportCipher } from '../wire/noise.js'
import type { KeyPair } from '../wire/key-pair.js'
import type { BotAccount } from '../world/bot-account.js'
import type { FaultState } from './faults.js'
import { IqError, iqErrorReply, iqResult, type Router } from './router.js'

export type SessionState = 'handshake' | 'pairing' | 'login' | 'open' | 'closed'

export interface SessionDeps {
  router: Router
  faults: FaultState
  serverStatic: KeyPair
  certChain: Uint8Array
  log: (line: string) => void
  /** Decides what to do once the client said who it is (pairing or login). */
  onClientPayload: (session: BotSession, payload: proto.ClientPayload) => void | Promise<void>
  onClose: (session: BotSession) => void
  iqTimeoutMs: number
}

let sessionCounter = 0

export class BotSession {
  readonly id = ++sessionCounter
  state: SessionState = 'handshake'
  clientPayload: proto.ClientPayload | undefined
  /** The client's noise static key, learned in the handshake. */
  clientStatic: Buffer | undefined
  /**
   * The account this connection logged in as (set at `<success>`): what it
   * sends is that bot's doing, and only that bot's stanzas are pushed here.
   */
  bot: BotAccount | undefined
  private readonly reader = new FrameReader()
  private noise: NoiseResponder | undefined
  private transport: TransportCipher | undefined
  private inbound: Promise<void> = Promise.resolve()
  private readonly pending = new Map<string, { resolve: (n: BinaryNode) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }>()
  private idCounter = 0
  private readonly closeListeners: (() => void)[] = []
  /** Dropped: what was still on its way in is lost, as on a dead network. */
  private dropped = false
  private silent = false

  constructor(
    private readonly ws: WsSocket,
    private readonly deps: SessionDeps,
    /** The TCP socket under the WebSocket, to stop reading it when the connection goes silent. */
    private readonly tcp?: { pause(): void },
  ) {
    ws.on('message', (data: Buffer) => this.onBytes(data))
    ws.on('close', () => this.onClosed())
    ws.on('error', (err) => deps.log(`session ${this.id}: socket error ${err.message}`))
  }

  get isOpen(): boolean {
    return this.state !== 'closed' && this.ws.readyState === this.ws.OPEN
  }

  nextId(): string {
    return `emu-${this.id}-${++this.idCounter}`
  }

  /** Sends a node to the client; false when the socket is gone (or silent). */
  send(n: BinaryNode): boolean {
    if (!this.transport || !this.isOpen || this.silent) return false
    this.ws.send(encodeFrame(this.transport.encrypt(encodeBinaryNode(n))))
    return true
  }

  /** Sends an IQ to the client and waits for its result/error reply. */
  async query(iq: BinaryNode, timeoutMs = this.deps.iqTimeoutMs): Promise<BinaryNode> {
    const id = iq.attrs.id ?? this.nextId()
    const out = { ...iq, attrs: { ...iq.attrs, id } }
    return new Promise<BinaryNode>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id)
        reject(new Error(`client did not answer iq ${id} within ${timeoutMs} ms`))
      }, timeoutMs)
      this.pending.set(id, { resolve, reject, timer })
      if (!this.send(out)) {
        clearTimeout(timer)
        this.pending.delete(id)
        reject(new Error('session closed'))
      }
    })
  }

  /** Abrupt TCP-level drop, no close frame: what a network failure looks like. */
  drop(): void {
    this.dropped = true
    this.ws.terminate()
  }

  /**
   * A dead network path: from now on nothing goes out, nothing is read (not
   * even a WebSocket close frame), and the socket is not closed. Only the
   * client's own liveness check can notice.
   */
  silence(): void {
    this.silent = true
    this.tcp?.pause()
  }

  /** Orderly close after the last node was flushed. */
  close(): void {
    // A silent session has no orderly close: nothing it sends would arrive.
    if (this.silent) return this.drop()
    if (this.ws.readyState === this.ws.OPEN) this.ws.close()
  }

  streamError(content: BinaryNode[] = [], attrs: Record<string, string> = {}): void {
    this.send(node('stream:error', attrs, content))
    this.close()
  }

  onClose(listener: () => void): void {
    this.closeListeners.push(listener)
  }

  private onClosed(): void {
    if (this.state === 'closed') return
    this.state = 'closed'
    for (const p of this.pending.values()) {
      clearTimeout(p.timer)
      p.reject(new Error('session closed'))
    }
    this.pending.clear()
    for (const l of this.closeListeners) l()
    this.deps.onClose(this)
  }

  private onBytes(data: Buffer): void {
    if (this.silent) return
    let frames: Buffer[]
    try {
      frames = this.reader.push(data)
    } catch (err) {
      this.deps.log(`session ${this.id}: ${(err as Error).message}`)
      this.drop()
      return
    }
    for (const f of frames) {
      // Decoding is async (it may inflate), but order must hold, so frames queue.
      this.inbound = this.inbound.then(() => this.onFrame(f)).catch((err: unknown) => {
        this.deps.log(`session ${this.id}: ${err instanceof Error ? err.stack ?? err.message : String(err)}`)
        this.drop()
      })
    }
  }

  private async onFrame(frame: Buffer): Promise<void> {
    if (this.state === 'closed' || this.dropped) return
    if (this.transport) {
      const decoded = await decodeBinaryNode(this.transport.decrypt(frame))
      await this.dispatch(decoded)
      return
    }
    if (!this.noise) {
      this.noise = new NoiseResponder(this.deps.serverStatic, this.deps.certChain)
      const hello = this.noise.respondToHello(this.reader.intro ?? Buffer.alloc(0), frame)
      this.ws.send(encodeFrame(hello))
      return
    }
    const result = this.noise.finish(frame)
    this.transport = result.transport
    this.clientStatic = result.clientStatic
    this.clientPayload = result.clientPayload
    await this.deps.onClientPayload(this, result.clientPayload)
  }

  private async dispatch(n: BinaryNode): Promise<void> {
    if (n.tag === 'iq' && (n.attrs.type === 'result' || n.attrs.type === 'error')) {
      const p = n.attrs.id ? this.pending.get(n.attrs.id) : undefined
      if (p) {
        clearTimeout(p.timer)
        this.pending.delete(n.attrs.id!)
        p.resolve(n)
        return
      }
    }
    if (n.tag === 'iq' && (n.attrs.type === 'get' || n.attrs.type === 'set' || n.attrs.type === undefined)) {
      // IQs are answered concurrently: a delayed one must not hold up the rest.
      this.answerIq(n).catch((err: unknown) => this.deps.log(`session ${this.id}: could not answer ${describe(n)}: ${String(err)}`))
      return
    }
    const fate = this.deps.faults.fateOf(n, this)
    if (fate) this.deps.log(`session ${this.id}: the bot's ${n.tag} ${n.attrs.id ?? ''}: ${fate}`)
    if (fate !== 'lost, connection drops' && fate !== 'lost, connection stays') await this.handle(n)
    if (fate === 'lost, connection drops' || fate === 'arrives, connection drops') this.drop()
  }

  private async handle(n: BinaryNode): Promise<void> {
    for (const h of this.deps.router.stanzaHandlers(n.tag)) {
      try {
        if ((await h(n, this)) === true) return
      } catch (err) {
        // A handler's bug is logged, not turned into a dropped connection.
        this.deps.log(`session ${this.id}: ${n.tag} handler failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}`)
        return
      }
    }
  }

  private async answerIq(iq: BinaryNode): Promise<void> {
    const rule = this.deps.faults.ruleFor(iq, this)
    if (rule?.action === 'swallow') {
      this.deps.log(`session ${this.id}: swallowed iq ${describe(iq)}`)
      return
    }
    if (rule?.action === 'delay') await new Promise((r) => setTimeout(r, rule.ms))
    const handler = this.deps.router.findIq(iq)
    let reply: BinaryNode
    try {
      if (!handler) {
        // Nothing may wait for a timeout: an IQ nobody models gets an empty result.
        this.deps.log(`session ${this.id}: no handler for iq ${describe(iq)}, empty result`)
        reply = iqResult(iq, undefined)
      } else {
        reply = iqResult(iq, await handler(iq, this))
      }
    } catch (err) {
      if (err instanceof IqError) reply = iqErrorReply(iq, err.code, err.text)
      else {
        this.deps.log(`session ${this.id}: iq handler failed for ${describe(iq)}: ${(err as Error).stack ?? String(err)}`)
        reply = iqErrorReply(iq, 500, 'internal-server-error')
      }
    }
    if (rule?.action === 'lose-answer') return this.deps.log(`session ${this.id}: handled iq ${describe(iq)}, lost its answer`)
    if (rule?.action === 'drop-after') {
      this.deps.log(`session ${this.id}: handled iq ${describe(iq)}, dropped the connection instead of answering`)
      return this.drop()
    }
    if (rule?.action === 'restart-after') {
      this.deps.log(`session ${this.id}: handled iq ${describe(iq)}, asked for a restart (515) instead of answering`)
      return this.streamError([], { code: '515' })
    }
    this.send(reply)
  }
}

export function describe(iq: BinaryNode): string {
  const first = Array.isArray(iq.content) ? iq.content[0]?.tag : undefined
  return `xmlns=${iq.attrs.xmlns ?? '-'} type=${iq.attrs.type ?? '-'} to=${iq.attrs.to ?? '-'} child=${first ?? '-'}`
}
