import { createServer, type IncomingMessage as HttpRequest, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { installSignal, type SignalLayer } from '../../emulator/signal/index.js'
import type { ConfigInput } from '../../core/config.js'
import { definePlugin, type IncomingMessage, type MessageStatus } from '../../core/index.js'
import { pair, startEmulatedRuntime, type EmulatedRuntime } from '../support/emulated-runtime.js'

export const OWNER = '15550001111'
export const ALICE = '15550002222'
export const BOB = '15550003333'
export const jidOf = (phone: string): string => `${phone}@s.whatsapp.net`

export interface MessagesWorld extends EmulatedRuntime {
  signal: SignalLayer
  /** Every message status the bot heard, in order. */
  statuses: MessageStatus[]
  /** Every message plugins heard, in order. */
  heard: IncomingMessage[]
  close(): Promise<void>
}

/**
 * The real runtime (every built-in plugin, `messages` among them) and Baileys
 * client, paired to the emulator, with contacts whose phones send read
 * receipts; a plugin records the statuses the bot hears.
 */
export async function startMessagesWorld(config: ConfigInput = {}): Promise<MessagesWorld> {
  const statuses: MessageStatus[] = []
  const heard: IncomingMessage[] = []
  const listener = definePlugin({
    name: 'status-listener',
    version: '0.0.0',
    setup(plugin) {
      plugin.whatsapp.onMessageStatus((status) => void statuses.push(status))
      plugin.on('message', (message) => void heard.push(message))
    },
  })
  const base = await startEmulatedRuntime({ config: { owners: [OWNER], ...config }, plugins: [listener] })
  const signal = installSignal(base.emulator.host, { timeoutMs: 10_000, receipts: 'read' })
  for (const [phone, name] of [
    [OWNER, 'Owner'],
    [ALICE, 'Alice'],
    [BOB, 'Bob'],
  ] as const) {
    base.emulator.addContact({ phone, name })
  }
  await pair(base)
  const close = base.close.bind(base)
  return Object.assign(base, {
    signal,
    statuses,
    heard,
    async close() {
      signal.close()
      await close()
    },
  })
}

/** Waits for a condition that no event announces. */
export async function eventually(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

/** A web server on 127.0.0.1 for media URLs; `handle` answers each request. */
export async function fileServer(handle: (req: HttpRequest, res: ServerResponse) => void): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer(handle)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

/** A small but real PNG (1×1) and PDF, for the type checks. */
export const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64')
export const PDF = Buffer.from('%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n2 0 obj <</Type /Pages /Kids [] /Count 0>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n')
