import 'reflect-metadata'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import Router from '@koa/router'
import Koa from 'koa'
import { inject, injectable } from 'tsyringe'
import type { Invoker } from '../actions/invoke.js'
import type { ActionRegistry } from '../actions/registry.js'
import type { Config } from '../config.js'
import type { Logger } from '../logger.js'
import type { Metrics } from '../metrics/metrics.js'
import type { PluginHost } from '../plugins/host.js'
import type { Storage } from '../storage/storage.js'
import { Tokens } from '../tokens.js'
import { parseByteSize } from '../validation.js'
import type { SessionManager } from '../sessions/manager.js'
import { describeApi, type OpenApiDocument } from '../openapi/index.js'
import { WAPLUG_VERSION } from '../version.js'
import { addActionRoutes } from './action-routes.js'
import { addApiDocsRoutes, apiDocsPublicPaths } from './api-docs-routes.js'
import { authMiddleware, makeAuthenticator } from './auth.js'
import { cors } from './cors.js'
import { envelopeMiddleware } from './envelope-middleware.js'
import { idempotency } from './idempotency.js'
import { IdempotencyRecords } from './idempotency-records.js'
import { jsonBody } from './json-body.js'
import { addMetricsRoute, httpMetrics } from './metrics-routes.js'
import { answerMalformedRequests } from './malformed-requests.js'
import { requestLog } from './request-log.js'
import { indexedRoutes } from './route-index.js'
import type { Webhooks } from '../webhooks/webhooks.js'
import { addEventStream } from './event-stream.js'
import { SessionKeys } from './session-keys.js'
import { addWebhookRoutes } from './webhook-routes.js'
import { PUBLIC_PATHS, addSessionRoutes } from './session-routes.js'
import { forSession } from './session-scope.js'

/**
 * The HTTP transport: auth → JSON body → routes (session + one per action),
 * every response an envelope; routes that change something honour Idempotency-Key.
 */
@injectable()
export class HttpServer {
  private server: Server | undefined
  private readonly log: Logger
  private readonly idempotencyRecords: IdempotencyRecords
  private readonly keys: SessionKeys
  private mounted: { method: string; path: string }[] = []

  constructor(
    @inject(Tokens.Config) private readonly config: Config,
    @inject(Tokens.Logger) logger: Logger,
    @inject(Tokens.Sessions) private readonly sessions: SessionManager,
    @inject(Tokens.Actions) private readonly registry: ActionRegistry,
    @inject(Tokens.Invoker) private readonly invoker: Invoker,
    @inject(Tokens.Plugins) private readonly plugins: PluginHost,
    @inject(Tokens.StartedAt) private readonly startedAt: number,
    @inject(Tokens.Storage) storage: Storage,
    @inject(Tokens.Webhooks) private readonly webhooks: Webhooks,
    @inject(Tokens.Metrics) private readonly metrics: Metrics,
  ) {
    this.log = logger.child({ component: 'http' })
    this.idempotencyRecords = new IdempotencyRecords(
      () => storage.forRuntime('idempotency'),
      (error) => this.log.warn({ err: error }, 'could not delete expired idempotency keys'),
    )
    this.keys = new SessionKeys(() => storage.forRuntime('session-keys'))
  }

  /** Built after plugin setup, so every action's route exists. */
  createApp(): Koa {
    const app = new Koa({ proxy: false })
    // Errors are logged by the envelope middleware, with the request id; Koa's own printer would repeat them.
    app.silent = true
    const router = new Router()
    const mutating = idempotency(this.idempotencyRecords, this.log)
    addSessionRoutes(router, { sessions: this.sessions, keys: this.keys, plugins: this.plugins, startedAt: this.startedAt, mutating })
    addWebhookRoutes(router, this.webhooks, this.sessions, mutating)
    addEventStream(router, this.webhooks, this.sessions)
    addActionRoutes(router, this.registry, this.invoker, forSession(this.sessions), mutating)
    const { enabled: metricsOn, requireKey: metricsNeedKey } = this.config.metrics
    if (metricsOn) addMetricsRoute(router, this.metrics, metricsNeedKey)
    const { bodyLimit, apiKeys, jwtSecret, jwtRequireExp, jwtMaxLifetimeSeconds, openapi } = this.config.http
    // Described once, on first request: every route exists by now and none is added later.
    let document: OpenApiDocument | undefined
    addApiDocsRoutes(router, () => (document ??= describeApi({ version: WAPLUG_VERSION, actions: this.registry.list(), openapiPublic: openapi.public, metrics: this.config.metrics })))
    this.mounted = router.stack.flatMap((layer) => layer.methods.filter((method) => method !== 'HEAD').map((method) => ({ method, path: String(layer.path) })))
    const open = new Set([...PUBLIC_PATHS, ...apiDocsPublicPaths(openapi.public), ...(metricsOn && !metricsNeedKey ? ['/metrics'] : [])])
    if (metricsOn) app.use(httpMetrics(this.metrics, router))
    app.use(requestLog(this.log))
    app.use(envelopeMiddleware(this.log))
    app.use(cors(this.config.http.cors.origins))
    app.use(authMiddleware(makeAuthenticator({ apiKeys, jwtSecret, jwtRequireExp, jwtMaxLifetimeSeconds, sessionOfKey: (key) => this.keys.sessionOf(key) }), open))
    app.use(jsonBody(parseByteSize(bodyLimit) ?? 1024 * 1024, bodyLimit))
    app.use(indexedRoutes(router))
    app.use(router.allowedMethods())
    return app
  }

  /** Every method and path the last app built mounts (koa-router paths, HEAD left out): what the API description must cover. */
  routes(): { method: string; path: string }[] {
    return [...this.mounted]
  }

  async listen(): Promise<string> {
    const app = this.createApp()
    const { port, host } = this.config.http
    const handle = app.callback()
    const server = createServer((req, res) => {
      void handle(req, res)
    })
    answerMalformedRequests(server, this.log)
    server.listen({ port, host })
    this.server = server
    await new Promise<void>((resolve, reject) => {
      server.once('listening', resolve)
      server.once('error', reject)
    })
    return this.url
  }

  /** The address and port the server listens on, e.g. 0.0.0.0:7001 (every address of the machine). */
  get bound(): string {
    const address = this.server?.address() as AddressInfo | null | undefined
    if (!address) return ''
    return `${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`
  }

  /** A URL to reach it from this machine: a wildcard address is reached at loopback. */
  get url(): string {
    const address = this.server?.address() as AddressInfo | null | undefined
    if (!address) return ''
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address
    return `http://${host === '0.0.0.0' || host === '[::]' ? '127.0.0.1' : host}:${address.port}`
  }

  async close(): Promise<void> {
    const server = this.server
    if (!server) return
    this.server = undefined
    await new Promise<void>((resolve) => {
      server.close(() => resolve())
      server.closeIdleConnections()
    })
    await this.idempotencyRecords.close()
  }
}
