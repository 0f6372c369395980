import { sharedSymbol } from './across-copies.js'
import type { Token } from './container.js'
import type { Config } from './config.js'
import type { Logger } from './logger.js'
import type { WhatsAppClient } from './sessions/whatsapp-client.js'
import type { ActionRegistry } from './actions/registry.js'
import type { Invoker } from './actions/invoke.js'
import type { PluginHost } from './plugins/host.js'
import type { HttpServer } from './http/server.js'
import type { EventBus } from './events/event-bus.js'
import type { Storage } from './storage/storage.js'
import type { SessionManager } from './sessions/manager.js'
import type { ChatTransport } from './chat/chat-transport.js'
import type { Webhooks } from './webhooks/webhooks.js'
import type { Metrics } from './metrics/metrics.js'

/**
 * Shared symbols, not token()'s own: a plugin's `@inject(Tokens.Logger)` must name
 * the runtime's logger even when the plugin has another copy of waplug.
 */
const sharedToken = <T>(name: string): Token<T> => sharedSymbol(name)

/** Every service the runtime registers; a start-up test resolves each one. */
export const Tokens = {
  Config: sharedToken<Config>('Config'),
  Logger: sharedToken<Logger>('Logger'),
  /** The `default` session's connection, as plugins get it: without start, stop or logout. */
  WhatsApp: sharedToken<WhatsAppClient>('WhatsApp'),
  /** Every WhatsApp session of the runtime. */
  Sessions: sharedToken<SessionManager>('Sessions'),
  Actions: sharedToken<ActionRegistry>('ActionRegistry'),
  Invoker: sharedToken<Invoker>('Invoker'),
  Plugins: sharedToken<PluginHost>('PluginHost'),
  Http: sharedToken<HttpServer>('HttpServer'),
  Chat: sharedToken<ChatTransport>('ChatTransport'),
  Events: sharedToken<EventBus>('EventBus'),
  /** Events out: the outbox, the webhook subscriptions and their deliveries. */
  Webhooks: sharedToken<Webhooks>('Webhooks'),
  /** The embedded database plugins' stores live in. */
  Storage: sharedToken<Storage>('Storage'),
  /** The runtime's Prometheus registry and named metrics (core/metrics). */
  Metrics: sharedToken<Metrics>('Metrics'),
  /** When the runtime started (ms), for its uptime. */
  StartedAt: sharedToken<number>('StartedAt'),
} as const satisfies Record<string, Token<unknown>>
