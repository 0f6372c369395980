// The WebSocket server, via the `ws` package Baileys already depends on.
// `ws` ships no type declarations and @types/ws is not a dependency, so the
// few members used here are typed locally instead of declaring the module.
import { createRequire } from 'node:module'
import type { IncomingMessage, Server } from 'node:http'

export interface WsSocket {
  readonly readyState: number
  readonly OPEN: number
  send(data: Buffer, cb?: (err?: Error) => void): void
  close(code?: number, reason?: string): void
  terminate(): void
  on(event: 'message', cb: (data: Buffer) => void): void
  on(event: 'close', cb: () => void): void
  on(event: 'error', cb: (err: Error) => void): void
}

export interface WsServer {
  on(event: 'connection', cb: (socket: WsSocket, req: IncomingMessage) => void): void
  on(event: 'error', cb: (err: Error) => void): void
  close(cb?: (err?: Error) => void): void
  readonly clients: Set<WsSocket>
}

interface WsModule {
  WebSocketServer: new (opts: { server: Server; path?: string; perMessageDeflate?: boolean; maxPayload?: number }) => WsServer
}

const require = createRequire(import.meta.url)
const ws = require('ws') as WsModule

export function attachWsServer(server: Server, path: string): WsServer {
  return new ws.WebSocketServer({ server, path, perMessageDeflate: false, maxPayload: 64 * 1024 * 1024 })
}
