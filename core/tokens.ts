import type { Token } from './container.js'
import { token } from './container.js'
import type { Config } from './config.js'
import type { Logger } from './logger.js'
import type { WhatsApp } from './whatsapp/types.js'
import type { ActionRegistry } from './actions/registry.js'
import type { Invoker } from './actions/invoke.js'
import type { PluginHost } from './plugins/host.js'
import type { HttpServer } from './http/server.js'
import type { ChatRouter } from './chat/router.js'
import type { EventBus } from './events/event-bus.js'
import type { Storage } from './storage/storage.js'

/** Every service the runtime registers; a start-up test resolves each one. */
export const Tokens = {
  Config: token<Config>('Config'),
  Logger: token<Logger>('Logger'),
  WhatsApp: token<WhatsApp>('WhatsApp'),
  Actions: token<ActionRegistry>('ActionRegistry'),
  Invoker: token<Invoker>('Invoker'),
  Plugins: token<PluginHost>('PluginHost'),
  Http: token<HttpServer>('HttpServer'),
  Chat: token<ChatRouter>('ChatRouter'),
  Events: token<EventBus>('EventBus'),
  /** The embedded database plugins' stores live in. */
  Storage: token<Storage>('Storage'),
  /** When the runtime started (ms); chat ignores messages sent before it. */
  StartedAt: token<number>('StartedAt'),
} as const satisfies Record<string, Token<unknown>>
