import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import stripJsonComments from 'strip-json-comments'
import { StartupError } from './errors.js'
import { PACKAGE_ROOT } from './package-root.js'
import { compileValidator, type JsonSchema } from './validation.js'
import { toUserJid } from './whatsapp/jids.js'

import type { AccessLevel } from './actions/action.js'

export interface Config {
  http: {
    port: number
    host: string
    bodyLimit: string
    apiKeys: string[]
    jwtSecret: string | null
    /** A JWT without `exp` is refused. */
    jwtRequireExp: boolean
    /** How far ahead a JWT's `exp` may be. */
    jwtMaxLifetimeSeconds: number
    /** Origins whose browsers may call the API (CORS); `*` for any, none: CORS off. */
    cors: { origins: string[] }
    /** Whether GET /openapi.json answers without a credential (the description holds routes, never data). */
    openapi: { public: boolean }
  }
  dataDir: string
  log: { level: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent'; pretty: boolean | 'auto' }
  whatsapp: {
    wsUrl: string | null
    pairingPhone: string | null
    printQr: boolean
    queryTimeoutMs: number
    connectTimeoutMs: number
    /** A connection that carries no packet for this long is treated as dropped, and reconnected. */
    silentAfterSeconds: number
    logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent'
    /** Pacing of group calls, so WhatsApp does not rate-limit the number. */
    groupCalls: { burst: number; perSecond: number; maxWaitMs: number; pauseAfterLimitSeconds: number }
  }
  /** Owner jids (phone numbers in the files and environment). */
  owners: string[]
  chat: {
    prefixes: string[]
    selfCommands: boolean
    access: Record<string, AccessLevel>
    /** Plugin name → who may use its commands (besides the owners), as jids. */
    allow: Record<string, string[]>
    /** How long a destructive command waits for `!confirm`. */
    confirmSeconds: number
    /** Messages that waited for the bot while it was offline are handled when they are at most this old. */
    backlogSeconds: number
  }
  actions: { timeoutMs: number }
  plugins: string[]
  disabledPlugins: string[]
  pluginStopTimeoutMs: number
  /** Plugin name → its options, checked against the plugin's own schema when it loads. */
  pluginOptions: Record<string, Record<string, unknown>>
  webhooks: {
    /** Subscriptions set here rather than over HTTP. */
    subscriptions: { url: string; events: string[]; session?: string | null; secret: string }[]
    /** Addresses besides public ones a webhook may point at. */
    allow: { loopback: boolean; private: boolean; linkLocal: boolean }
    timeoutMs: number
    maxResponseBytes: number
    retry: { firstDelayMs: number; maxDelayMs: number; periodHours: number }
    /** Deliveries in flight per subscription (each for another chat). */
    concurrency: number
    /** Also an event for every chat command and HTTP action. */
    commandEvents: boolean
    /** How long events are kept for replays and the event stream. */
    retentionHours: number
  }
  messages: {
    /** Pacing of every message a session sends (HTTP, chat replies, plugins), against bans for spam. */
    pacing: {
      perSecond: number
      burst: number
      perChatPerSecond: number
      perChatBurst: number
      maxWaitSeconds: number
      /** Chat replies show "typing…" first, for a moment that grows with their length up to `typingMaxMs`. */
      typing: boolean
      typingMaxMs: number
    }
    /** Media sent from a URL: fetched within these limits, from addresses webhooks may point at too. */
    media: { maxBytes: string; fetchTimeoutMs: number; allow: { loopback: boolean; private: boolean; linkLocal: boolean } }
  }
  sessions: {
    /** How many stored sessions connect at once at start, so a hundred do not stampede WhatsApp. */
    startConcurrency: number
    /** Session id → settings that replace the global ones for that number. */
    settings: Record<string, SessionSettings>
  }
  /** GET /metrics for Prometheus. */
  metrics: {
    enabled: boolean
    /** Ask for an API key as the other routes do; off by default, for a scraper on a private network. */
    requireKey: boolean
  }
}

/** What a session may set for itself; what it leaves out falls back to the global setting. */
export interface SessionSettings {
  owners?: string[]
  prefixes?: string[]
  disabledPlugins?: string[]
}

export type ConfigInput = { [K in keyof Config]?: Config[K] extends object ? Partial<Config[K]> : Config[K] }

const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']
const timeout = { type: 'integer', minimum: 100, maximum: 600000 }

const PREFIXES_SCHEMA: JsonSchema = { type: 'array', minItems: 1, items: { type: 'string', minLength: 1, maxLength: 5, pattern: '^\\S+$' } }

/** Shared with POST /sessions, which takes the same settings. */
export const SESSION_SETTINGS_SCHEMA: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    owners: { type: 'array', items: { type: 'string', format: 'wa-user' } },
    prefixes: PREFIXES_SCHEMA,
    disabledPlugins: { type: 'array', items: { type: 'string', minLength: 1 } },
  },
}

/**
 * The configuration's schema, and its reference: each key's `description` is what
 * docs/configuration.md says of it (`npm run docs:config` writes the table from here).
 */
export const CONFIG_SCHEMA: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['http', 'dataDir', 'log', 'whatsapp', 'owners', 'chat', 'actions', 'plugins', 'disabledPlugins', 'pluginStopTimeoutMs', 'pluginOptions', 'webhooks', 'messages', 'sessions', 'metrics'],
  properties: {
    $schema: { type: 'string' },
    http: {
      type: 'object',
      additionalProperties: false,
      required: ['port', 'host', 'bodyLimit', 'apiKeys', 'jwtSecret', 'jwtRequireExp', 'jwtMaxLifetimeSeconds', 'cors', 'openapi'],
      properties: {
        port: { type: 'integer', minimum: 0, maximum: 65535, description: 'HTTP port' },
        host: { type: 'string', minLength: 1, description: 'interface to listen on (`0.0.0.0`: every address of the machine)' },
        bodyLimit: { type: 'string', format: 'byte-size', description: 'largest request body; a larger one is answered 413' },
        apiKeys: {
          type: 'array',
          items: { type: 'string', minLength: 16 },
          description: 'accepted API keys (admin credentials); with none and no JWT secret, one is generated at the first start and saved in `<dataDir>/api-key`',
        },
        jwtSecret: { type: ['string', 'null'], minLength: 32, description: 'HS256 secret for `Authorization: Bearer <JWT>`; `null`: JWTs are not accepted' },
        jwtRequireExp: { type: 'boolean', description: 'refuse JWTs without an `exp` claim' },
        jwtMaxLifetimeSeconds: {
          type: 'integer',
          minimum: 60,
          maximum: 31536000,
          description: "how far ahead a JWT's `exp` may be; a token valid for longer is refused, so one that leaks does not work for ever",
        },
        cors: {
          type: 'object',
          additionalProperties: false,
          required: ['origins'],
          properties: {
            origins: {
              type: 'array',
              items: { type: 'string', pattern: '^(\\*|https?://[^/\\s]+)$' },
              description: 'origins whose browser pages may call the API (CORS), or `"*"` for any; none: CORS off (see [CORS](http-api.md#cors))',
            },
          },
        },
        openapi: {
          type: 'object',
          additionalProperties: false,
          required: ['public'],
          properties: {
            public: {
              type: 'boolean',
              description: 'whether `GET /openapi.json` answers without a credential; it describes routes, never data (see [openapi.md](openapi.md))',
            },
          },
        },
      },
    },
    dataDir: {
      type: 'string',
      minLength: 1,
      description: 'where the runtime keeps its state: the store (`store/`: WhatsApp sessions, plugin stores, event outbox), the generated API key, the lock; one runtime per data dir',
    },
    log: {
      type: 'object',
      additionalProperties: false,
      required: ['level', 'pretty'],
      properties: {
        level: { enum: LEVELS, description: 'log level, in any case (`DEBUG` is `debug`)' },
        pretty: {
          enum: [true, false, 'auto'],
          description: '`"auto"`: readable lines at a terminal, JSON otherwise; `true`: readable lines everywhere, coloured only at a terminal; `false`: JSON',
        },
      },
    },
    whatsapp: {
      type: 'object',
      additionalProperties: false,
      required: ['wsUrl', 'pairingPhone', 'printQr', 'queryTimeoutMs', 'connectTimeoutMs', 'silentAfterSeconds', 'logLevel', 'groupCalls'],
      properties: {
        wsUrl: {
          anyOf: [{ type: 'null' }, { type: 'string', format: 'ws-url' }],
          description: "WebSocket URL of the WhatsApp server; `null`: WhatsApp's own (tests and the sandbox point it at the local emulator)",
        },
        pairingPhone: {
          anyOf: [{ type: 'null' }, { type: 'string', pattern: '^\\+?[0-9][0-9 ()-]{5,20}$' }],
          description: 'pair the `default` session by a code for this number instead of by QR',
        },
        printQr: { type: 'boolean', description: 'draw the pairing QR in the terminal' },
        queryTimeoutMs: { ...timeout, description: 'how long to wait for WhatsApp to answer a call (then 504)' },
        connectTimeoutMs: { ...timeout, description: 'how long to wait for a connection to WhatsApp' },
        silentAfterSeconds: {
          type: 'integer',
          minimum: 3,
          maximum: 600,
          description: 'a connection that carries no packet for this long is treated as dropped and reconnected; the bot pings WhatsApp every third of it',
        },
        logLevel: { enum: LEVELS, description: "Baileys' own log level" },
        groupCalls: {
          type: 'object',
          additionalProperties: false,
          required: ['burst', 'perSecond', 'maxWaitMs', 'pauseAfterLimitSeconds'],
          description:
            'pacing of group calls to WhatsApp: a `burst`, then `perSecond`; a call that would queue longer than `maxWaitMs` is refused with 429, and after WhatsApp answers `rate-overlimit` group calls wait `pauseAfterLimitSeconds`',
          properties: {
            burst: { type: 'integer', minimum: 1, maximum: 1000 },
            perSecond: { type: 'number', exclusiveMinimum: 0 },
            maxWaitMs: { type: 'integer', minimum: 0, maximum: 600000 },
            pauseAfterLimitSeconds: { type: 'integer', minimum: 0, maximum: 3600 },
          },
        },
      },
    },
    owners: { type: 'array', items: { type: 'string', format: 'wa-user' }, description: 'phone numbers that may run owner-only chat commands' },
    chat: {
      type: 'object',
      additionalProperties: false,
      required: ['prefixes', 'selfCommands', 'access', 'allow', 'confirmSeconds', 'backlogSeconds'],
      properties: {
        prefixes: { ...PREFIXES_SCHEMA, description: 'command prefixes' },
        selfCommands: { type: 'boolean', description: "run commands typed on the bot's own phone (live messages only)" },
        access: {
          type: 'object',
          additionalProperties: { enum: ['owner', 'admins', 'everyone'] },
          description: 'per-command access override: `"owner"`, `"admins"` (owners, and a group\'s admins inside that group) or `"everyone"`, e.g. `{"creategroup": "everyone"}`',
        },
        allow: {
          type: 'object',
          additionalProperties: { type: 'array', items: { type: 'string', format: 'wa-user' } },
          description: 'per-plugin allow list: plugin name → phone numbers who may use all its commands, owner-only ones included (besides the owners; nobody else may), e.g. `{"groups": ["6281234567890"]}`',
        },
        confirmSeconds: { type: 'integer', minimum: 5, maximum: 600, description: 'how long `!kick`, `!revoke` and `!leave` wait for `!confirm`' },
        backlogSeconds: {
          type: 'integer',
          minimum: 0,
          maximum: 86400,
          description: 'how old a message sent while the bot was offline may be and still be answered; `0` answers none (see [the backlog window](chat-commands.md#commands-sent-while-the-bot-was-away-the-backlog-window))',
        },
      },
    },
    actions: {
      type: 'object',
      additionalProperties: false,
      required: ['timeoutMs'],
      properties: { timeoutMs: { ...timeout, description: 'time limit of one action (then 504)' } },
    },
    plugins: {
      type: 'array',
      items: { type: 'string', minLength: 1 },
      description: 'extra plugins, beside the built-in ones: package names (`"waplug-plugin-welcome"`) or paths (`"./my-plugins/hello"`, from the working directory)',
    },
    disabledPlugins: { type: 'array', items: { type: 'string', minLength: 1 }, description: 'plugin names not to load' },
    pluginStopTimeoutMs: { ...timeout, description: 'how long one plugin may take to stop' },
    pluginOptions: {
      type: 'object',
      additionalProperties: { type: 'object' },
      description: "each plugin's options, by plugin name, checked against the plugin's own schema, e.g. `{\"welcome\": {\"greeting\": \"Hi\"}}`; `PLUGIN_OPTIONS` (JSON) is merged over the files",
    },
    webhooks: {
      type: 'object',
      additionalProperties: false,
      required: ['subscriptions', 'allow', 'timeoutMs', 'maxResponseBytes', 'retry', 'concurrency', 'commandEvents', 'retentionHours'],
      properties: {
        subscriptions: {
          type: 'array',
          description: 'webhooks set in the configuration rather than over HTTP: `[{"url", "events", "session"?, "secret"}]` (see [Webhooks](webhooks.md))',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['url', 'events', 'secret'],
            properties: {
              url: { type: 'string', minLength: 1 },
              events: { type: 'array', minItems: 1, items: { type: 'string', minLength: 1 } },
              session: { anyOf: [{ type: 'null' }, { type: 'string', pattern: '^[a-z0-9_-]{1,32}$' }] },
              secret: { type: 'string', pattern: '^whsec_[A-Za-z0-9+/=]{32,}$' },
            },
          },
        },
        allow: {
          type: 'object',
          additionalProperties: false,
          required: ['loopback', 'private', 'linkLocal'],
          description: 'addresses besides public ones a webhook may point at: `loopback`, `private` (10/8, 172.16/12, 192.168/16, fc00::/7, 100.64/10), `linkLocal` (169.254/16)',
          properties: { loopback: { type: 'boolean' }, private: { type: 'boolean' }, linkLocal: { type: 'boolean' } },
        },
        timeoutMs: { ...timeout, description: 'how long one delivery may take' },
        maxResponseBytes: { type: 'integer', minimum: 0, maximum: 10485760, description: "how much of a receiver's answer is read" },
        retry: {
          type: 'object',
          additionalProperties: false,
          required: ['firstDelayMs', 'maxDelayMs', 'periodHours'],
          description: 'backoff of failed deliveries (from `firstDelayMs`, doubling, at most `maxDelayMs` apart), and how long an event is retried before the subscription is paused (`periodHours`)',
          properties: {
            firstDelayMs: { type: 'integer', minimum: 1, maximum: 600000 },
            maxDelayMs: { type: 'integer', minimum: 1, maximum: 86400000 },
            periodHours: { type: 'number', exclusiveMinimum: 0, maximum: 720 },
          },
        },
        concurrency: { type: 'integer', minimum: 1, maximum: 64, description: 'deliveries in flight per subscription, each for another chat' },
        commandEvents: { type: 'boolean', description: 'a `command.handled` event for every chat command and HTTP action' },
        retentionHours: { type: 'number', exclusiveMinimum: 0, maximum: 8760, description: 'how long events are kept for replays and the event stream' },
      },
    },
    messages: {
      type: 'object',
      additionalProperties: false,
      required: ['pacing', 'media'],
      properties: {
        pacing: {
          type: 'object',
          additionalProperties: false,
          required: ['perSecond', 'burst', 'perChatPerSecond', 'perChatBurst', 'maxWaitSeconds', 'typing', 'typingMaxMs'],
          properties: {
            perSecond: { type: 'number', exclusiveMinimum: 0, maximum: 1000, description: 'messages per second a session sends over all chats, after the burst (see [Messages](messages.md))' },
            burst: { type: 'integer', minimum: 1, maximum: 1000, description: 'messages that may go out at once after a quiet spell' },
            perChatPerSecond: { type: 'number', exclusiveMinimum: 0, maximum: 1000, description: 'messages per second into any one chat' },
            perChatBurst: { type: 'integer', minimum: 1, maximum: 1000, description: 'messages into one chat at once after a quiet spell' },
            maxWaitSeconds: { type: 'number', minimum: 0, maximum: 600, description: 'a send that would wait longer for its slot is refused at once with 429 and Retry-After (chat replies wait instead)' },
            typing: { type: 'boolean', description: 'chat replies show "typing…" first' },
            typingMaxMs: { type: 'integer', minimum: 0, maximum: 20000, description: 'how long "typing…" shows at most; it grows with the reply' },
          },
        },
        media: {
          type: 'object',
          additionalProperties: false,
          required: ['maxBytes', 'fetchTimeoutMs', 'allow'],
          properties: {
            maxBytes: { type: 'string', format: 'byte-size', description: 'largest media file sent (from a URL, base64, a stream or a file); a larger one is refused with 413' },
            fetchTimeoutMs: { ...timeout, description: 'how long fetching a media URL may take, body included (408 after); keep it under `actions.timeoutMs`' },
            allow: {
              type: 'object',
              additionalProperties: false,
              required: ['loopback', 'private', 'linkLocal'],
              description: 'addresses besides public ones a media URL may point at: `loopback`, `private`, `linkLocal`, as for webhooks',
              properties: { loopback: { type: 'boolean' }, private: { type: 'boolean' }, linkLocal: { type: 'boolean' } },
            },
          },
        },
      },
    },
    sessions: {
      type: 'object',
      additionalProperties: false,
      required: ['startConcurrency', 'settings'],
      properties: {
        startConcurrency: {
          type: 'integer',
          minimum: 1,
          maximum: 100,
          description: 'how many stored sessions connect at once at start, so a hundred numbers do not stampede WhatsApp',
        },
        settings: {
          type: 'object',
          propertyNames: { pattern: '^[a-z0-9_-]{1,32}$' },
          additionalProperties: SESSION_SETTINGS_SCHEMA,
          description: 'per-session chat settings, by session id: `owners`, `prefixes`, `disabledPlugins`; what a session leaves out falls back to the keys above (see [Sessions](sessions.md#chat))',
        },
      },
    },
    metrics: {
      type: 'object',
      additionalProperties: false,
      required: ['enabled', 'requireKey'],
      properties: {
        enabled: { type: 'boolean', description: 'serve `GET /metrics` in Prometheus format (see [Metrics](deployment.md#metrics))' },
        requireKey: {
          type: 'boolean',
          description: '`GET /metrics` asks for an admin API key or JWT; `false`: open, for a scraper on a private network',
        },
      },
    },
  },
}

/** What the allowed values are, in words, for the one-line start error. */
export const CONFIG_ALLOWED: Record<string, string> = {
  'http.port': 'an integer from 0 to 65535',
  'http.host': 'a host name or IP address',
  'http.bodyLimit': "a size such as '512kb' or '1mb'",
  'http.apiKeys': 'keys of at least 16 characters',
  'http.jwtSecret': 'a secret of at least 32 characters',
  'http.jwtRequireExp': 'true or false',
  'http.jwtMaxLifetimeSeconds': 'whole seconds from 60 to 31536000 (a year)',
  'http.openapi.public': 'true (GET /openapi.json needs no key) or false',
  'http.cors.origins': 'origins like "https://app.example.com" (scheme, host and port; no path), or "*" for any',
  dataDir: 'a directory path',
  'log.level': LEVELS.join(', '),
  'log.pretty': 'true, false or "auto"',
  'whatsapp.wsUrl': 'a ws:// or wss:// URL',
  'whatsapp.pairingPhone': 'a phone number in international format, digits only, like 6281234567890',
  'whatsapp.printQr': 'true or false',
  'whatsapp.queryTimeoutMs': 'milliseconds from 100 to 600000',
  'whatsapp.connectTimeoutMs': 'milliseconds from 100 to 600000',
  'whatsapp.silentAfterSeconds': 'whole seconds from 3 to 600',
  'whatsapp.logLevel': LEVELS.join(', '),
  'whatsapp.groupCalls': 'burst (1-1000), perSecond (above 0), maxWaitMs (0-600000) and pauseAfterLimitSeconds (0-3600)',
  owners: 'phone numbers in international format, like 6281234567890',
  'chat.prefixes': 'one or more prefixes of 1 to 5 characters without spaces',
  'chat.selfCommands': 'true or false',
  'chat.access': 'command names mapped to "owner", "admins" or "everyone"',
  'chat.allow': 'plugin names mapped to lists of phone numbers, like {"groups": ["6281234567890"]}',
  'chat.confirmSeconds': 'seconds from 5 to 600',
  'chat.backlogSeconds': 'seconds from 0 (answer nothing sent while the bot was offline) to 86400 (a day)',
  'actions.timeoutMs': 'milliseconds from 100 to 600000',
  plugins: 'plugin package names or paths',
  disabledPlugins: 'plugin names',
  pluginStopTimeoutMs: 'milliseconds from 100 to 600000',
  pluginOptions: 'plugin names mapped to objects of options, like {"welcome": {"greeting": "Hi"}}',
  'webhooks.subscriptions': 'a list of {"url": "https://…", "events": ["message.*"], "session"?: "sales", "secret": "whsec_…"}',
  'webhooks.allow': '{"loopback": false, "private": false, "linkLocal": false}',
  'webhooks.timeoutMs': 'milliseconds from 100 to 600000',
  'webhooks.maxResponseBytes': 'bytes from 0 to 10485760',
  'webhooks.retry': 'firstDelayMs (1-600000), maxDelayMs (1-86400000) and periodHours (above 0, at most 720)',
  'webhooks.concurrency': 'an integer from 1 to 64',
  'webhooks.commandEvents': 'true or false',
  'webhooks.retentionHours': 'hours above 0, at most 8760',
  'messages.pacing.perSecond': 'a number above 0, at most 1000 (0.2: one message every 5 seconds)',
  'messages.pacing.burst': 'an integer from 1 to 1000',
  'messages.pacing.perChatPerSecond': 'a number above 0, at most 1000',
  'messages.pacing.perChatBurst': 'an integer from 1 to 1000',
  'messages.pacing.maxWaitSeconds': 'seconds from 0 (never wait) to 600',
  'messages.pacing.typing': 'true or false',
  'messages.pacing.typingMaxMs': 'milliseconds from 0 to 20000',
  'messages.media.maxBytes': "a size such as '16mb' or '512kb'",
  'messages.media.fetchTimeoutMs': 'milliseconds from 100 to 600000',
  'messages.media.allow': '{"loopback": false, "private": false, "linkLocal": false}',
  'sessions.startConcurrency': 'an integer from 1 to 100',
  'metrics.enabled': 'true or false',
  'metrics.requireKey': 'true or false',
  'sessions.settings': 'session ids (a-z, 0-9, _ and -, at most 32) mapped to {"owners": [...], "prefixes": [...], "disabledPlugins": [...]}',
}

type EnvReader = (value: string) => unknown
const list: EnvReader = (v) => v.split(',').map((s) => s.trim()).filter(Boolean)
const int: EnvReader = (v) => (/^-?\d+$/.test(v.trim()) ? Number(v) : v)
const bool: EnvReader = (v) => (/^(true|1|yes)$/i.test(v) ? true : /^(false|0|no)$/i.test(v) ? false : v)
const text: EnvReader = (v) => v
const orNull: EnvReader = (v) => (v.trim() === '' ? null : v)
const json: EnvReader = (v) => {
  try {
    return JSON.parse(v) as unknown
  } catch {
    return v
  }
}

/** Environment variables and the config keys they set; `form` says how a list is written. */
export const ENV_KEYS: Record<string, { key: string; read: EnvReader; form?: string }> = {
  PORT: { key: 'http.port', read: int },
  HOST: { key: 'http.host', read: text },
  API_KEY: { key: 'http.apiKeys', read: list, form: 'comma-separated' },
  JWT_SECRET: { key: 'http.jwtSecret', read: orNull },
  JWT_REQUIRE_EXP: { key: 'http.jwtRequireExp', read: bool },
  JWT_MAX_LIFETIME_SECONDS: { key: 'http.jwtMaxLifetimeSeconds', read: int },
  CORS_ORIGINS: { key: 'http.cors.origins', read: list, form: 'comma-separated' },
  OPENAPI_PUBLIC: { key: 'http.openapi.public', read: bool },
  BODY_LIMIT: { key: 'http.bodyLimit', read: text },
  DATA_DIR: { key: 'dataDir', read: text },
  LOG_LEVEL: { key: 'log.level', read: text },
  LOG_PRETTY: { key: 'log.pretty', read: (v) => (v === 'auto' ? v : bool(v)) },
  WA_WS_URL: { key: 'whatsapp.wsUrl', read: orNull },
  WA_PAIRING_PHONE: { key: 'whatsapp.pairingPhone', read: orNull },
  WA_PRINT_QR: { key: 'whatsapp.printQr', read: bool },
  WA_LOG_LEVEL: { key: 'whatsapp.logLevel', read: text },
  WA_SILENT_AFTER_SECONDS: { key: 'whatsapp.silentAfterSeconds', read: int },
  OWNERS: { key: 'owners', read: list, form: 'comma-separated' },
  CHAT_PREFIXES: { key: 'chat.prefixes', read: (v) => v.split(/\s+/).filter(Boolean), form: 'space-separated' },
  CHAT_BACKLOG_SECONDS: { key: 'chat.backlogSeconds', read: int },
  PLUGINS: { key: 'plugins', read: list, form: 'comma-separated' },
  DISABLED_PLUGINS: { key: 'disabledPlugins', read: list, form: 'comma-separated' },
  PLUGIN_OPTIONS: { key: 'pluginOptions', read: json, form: 'JSON' },
  MESSAGES_PER_SECOND: { key: 'messages.pacing.perSecond', read: (v) => (/^\d+(\.\d+)?$/.test(v.trim()) ? Number(v) : v) },
  MESSAGES_TYPING: { key: 'messages.pacing.typing', read: bool },
  MEDIA_MAX_BYTES: { key: 'messages.media.maxBytes', read: text },
  SESSIONS_START_CONCURRENCY: { key: 'sessions.startConcurrency', read: int },
  METRICS_ENABLED: { key: 'metrics.enabled', read: bool },
  METRICS_REQUIRE_KEY: { key: 'metrics.requireKey', read: bool },
  WEBHOOKS_ALLOW_LOOPBACK: { key: 'webhooks.allow.loopback', read: bool },
  WEBHOOKS_ALLOW_PRIVATE: { key: 'webhooks.allow.private', read: bool },
  WEBHOOKS_COMMAND_EVENTS: { key: 'webhooks.commandEvents', read: bool },
}

type Json = Record<string, unknown>

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v)

function merge(base: Json, over: Json): Json {
  const out: Json = { ...base }
  for (const [key, value] of Object.entries(over)) {
    out[key] = isObject(value) && isObject(out[key]) ? merge(out[key], value) : value
  }
  return out
}

/** An object from the environment (PLUGIN_OPTIONS) adds to what the files say rather than replacing it. */
function mergeInto(root: Json, dotted: string, value: unknown): unknown {
  const current = dotted.split('.').reduce<unknown>((node, part) => (isObject(node) ? node[part] : undefined), root)
  return isObject(current) && isObject(value) ? merge(current, value) : value
}

function setPath(target: Json, dotted: string, value: unknown): void {
  const parts = dotted.split('.')
  let node = target
  for (const part of parts.slice(0, -1)) {
    if (!isObject(node[part])) node[part] = {}
    node = node[part] as Json
  }
  node[parts.at(-1) as string] = value
}

function readJson(file: string): Json {
  try {
    // Comments are allowed, so that `waplug init` can explain each setting where it is set.
    const parsed: unknown = JSON.parse(stripJsonComments(readFileSync(file, 'utf8')))
    if (!isObject(parsed)) throw new Error('the file must hold a JSON object')
    return parsed
  } catch (error) {
    throw new StartupError(`Cannot read configuration file ${file}: ${(error as Error).message}`)
  }
}

/** waplug's own defaults, wherever it runs from: a bot's folder has only its local.json. */
export const DEFAULTS_FILE = path.join(PACKAGE_ROOT, 'config', 'default.json')

export interface LoadConfigOptions {
  /** Directory holding local.json; defaults to ./config. */
  dir?: string
  env?: Record<string, string | undefined>
  /** Values set by code (tests, the sandbox); they win over files and the environment. */
  overrides?: ConfigInput
}

const validateConfig = compileValidator<Config>(CONFIG_SCHEMA)

/**
 * waplug's default.json ← local.json ← environment ← overrides. Any bad value stops
 * the start with one line that names where it came from, the value and what is allowed.
 */
export function loadConfig(options: LoadConfigOptions = {}): Config {
  const local = path.join(options.dir ?? path.resolve('config'), 'local.json')
  const sources = new Map<string, string>()

  let merged = readJson(DEFAULTS_FILE)
  if (existsSync(local)) {
    const localJson = readJson(local)
    for (const key of leafKeys(localJson)) sources.set(key, `${key} in ${local}`)
    merged = merge(merged, localJson)
  }
  for (const [name, { key, read }] of Object.entries(ENV_KEYS)) {
    const raw = options.env?.[name]
    if (raw === undefined) continue
    setPath(merged, key, mergeInto(merged, key, read(raw)))
    sources.set(key, `${name} (${key})`)
  }
  if (options.overrides) merged = merge(merged, options.overrides)
  // Levels in any case: LOG_LEVEL=DEBUG is as clear as debug.
  for (const section of ['log', 'whatsapp']) {
    const node = merged[section]
    const key = section === 'log' ? 'level' : 'logLevel'
    if (isObject(node) && typeof node[key] === 'string') node[key] = node[key].trim().toLowerCase()
  }

  const result = validateConfig(merged)
  if (!result.ok) throw new StartupError(configErrorLine(result.error, merged, sources))
  const config = result.value
  // Owners are compared as jids; the schema's format check guarantees each one converts.
  config.owners = ownerJids(config.owners)
  for (const [plugin, people] of Object.entries(config.chat.allow)) config.chat.allow[plugin] = people.map((person) => toUserJid(person) ?? person)
  for (const settings of Object.values(config.sessions.settings)) if (settings.owners) settings.owners = ownerJids(settings.owners)
  return config
}

export function ownerJids(owners: string[]): string[] {
  return [...new Set(owners.map((owner) => toUserJid(owner) ?? owner))]
}

/** Objects whose keys are names the person chose, so errors name the object, not one entry. */
const MAPS = ['access', 'allow', 'pluginOptions', 'settings', 'subscriptions']

function leafKeys(json: Json, prefix = ''): string[] {
  return Object.entries(json).flatMap(([k, v]) => (isObject(v) && !MAPS.includes(k) ? leafKeys(v, `${prefix}${k}.`) : [`${prefix}${k}`]))
}

/** Turns "whatsapp.wsUrl is not a ws:// URL" into a line that names the key, value and what is allowed. */
function configErrorLine(error: string, merged: Json, sources: Map<string, string>): string {
  const match = /^(?:Unknown field ')?([\w.[\]]+)/.exec(error)
  const rawKey = match?.[1]?.replace(/\[\d+\]$/, '') ?? ''
  if (error.startsWith('Unknown field')) return `Invalid configuration: ${error}`
  const key = Object.keys(CONFIG_ALLOWED).find((k) => rawKey === k || rawKey.startsWith(`${k}.`) || rawKey.startsWith(`${k}[`)) ?? rawKey
  const value = key.split('.').reduce<unknown>((node, part) => (isObject(node) ? node[part] : undefined), merged)
  const where = sources.get(key) ?? key
  return `Invalid configuration: ${where} is ${JSON.stringify(value)}; expected ${CONFIG_ALLOWED[key] ?? error}`
}
