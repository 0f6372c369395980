import type { Config, SessionSettings } from '../config.js'
import type { ConnectionState, WhatsApp } from '../whatsapp/types.js'
import { whatsAppClient, type WhatsAppClient } from './whatsapp-client.js'

/** A session's chat settings, its own where it set them, the global ones otherwise. */
export interface ChatSettings {
  owners: string[]
  prefixes: string[]
  /** Plugins whose commands and events this session leaves out, besides those disabled everywhere. */
  disabledPlugins: string[]
}

/** What `GET /sessions/:session` shows. */
export interface SessionInfo {
  id: string
  state: ConnectionState
  jid: string | null
  lid: string | null
  qr: string | null
  pairing_code: string | null
}

/**
 * One WhatsApp number: its id, its connection (which holds its auth state,
 * group cache and pacing, and `me`), and its chat settings. A value, not a
 * global: everything that acts for a number is handed its session.
 */
export class Session {
  /** The connection as plugins see it: without start, stop or logout. */
  readonly client: WhatsAppClient
  readonly chat: ChatSettings

  constructor(
    readonly id: string,
    readonly whatsapp: WhatsApp,
    config: Config,
    settings: SessionSettings = {},
  ) {
    this.client = whatsAppClient(id, whatsapp)
    this.chat = {
      owners: settings.owners ?? config.owners,
      prefixes: settings.prefixes ?? config.chat.prefixes,
      disabledPlugins: settings.disabledPlugins ?? [],
    }
  }

  get state(): ConnectionState {
    return this.whatsapp.state
  }

  /** Whether this session serves the plugin's commands and events. */
  serves(plugin: string): boolean {
    return !this.chat.disabledPlugins.includes(plugin)
  }

  info(): SessionInfo {
    const { whatsapp } = this
    const pairing = whatsapp.state === 'pairing'
    return {
      id: this.id,
      state: whatsapp.state,
      jid: whatsapp.me?.jid ?? null,
      lid: whatsapp.me?.lid ?? null,
      qr: pairing ? (whatsapp.qr ?? null) : null,
      pairing_code: pairing ? (whatsapp.pairingCode ?? null) : null,
    }
  }
}
