import type Router from '@koa/router'
import type { Middleware } from 'koa'
import { SESSION_SETTINGS_SCHEMA } from '../config.js'
import { success } from '../envelope.js'
import { badRequest, notFound } from '../errors.js'
import type { PluginHost } from '../plugins/host.js'
import type { SessionManager } from '../sessions/manager.js'
import { SESSION_ID_RULE } from '../sessions/session-id.js'
import type { Session } from '../sessions/session.js'
import { compileValidator, type JsonSchema } from '../validation.js'
import type { SessionKeys } from './session-keys.js'
import { adminOnly, forSession, sessionOf } from './session-scope.js'

export const PUBLIC_PATHS = new Set(['/health'])

interface NewSessionBody {
  id: string
  pairing_phone?: string | null
  owners?: string[]
  prefixes?: string[]
  disabled_plugins?: string[]
}

const settingsProperties = SESSION_SETTINGS_SCHEMA.properties as Record<string, unknown>
/** POST /sessions: also what the API reference shows. */
export const NEW_SESSION_SCHEMA: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['id'],
  properties: {
    id: { type: 'string', title: 'id', pattern: '^[a-z0-9_-]{1,32}$' },
    pairing_phone: { anyOf: [{ type: 'null' }, { type: 'string', pattern: '^\\+?[0-9][0-9 ()-]{5,20}$' }] },
    owners: settingsProperties.owners,
    prefixes: settingsProperties.prefixes,
    disabled_plugins: settingsProperties.disabledPlugins,
  },
}
const validateNewSession = compileValidator<NewSessionBody>(NEW_SESSION_SCHEMA)

/** POST /sessions/:session/keys. */
export const NEW_KEY_SCHEMA: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: { label: { type: 'string', minLength: 1, maxLength: 100 } },
}
const validateNewKey = compileValidator<{ label?: string }>(NEW_KEY_SCHEMA)

export interface SessionRouteDeps {
  sessions: SessionManager
  keys: SessionKeys
  plugins: PluginHost
  startedAt: number
  /** Idempotency-Key handling for routes that change something. */
  mutating: Middleware
}

/**
 * Health (no auth); each session's state, QR and logout, at `/session` for
 * `default` and `/sessions/:session` for any; and the management of sessions
 * and their keys (admin credentials only).
 */
export function addSessionRoutes(router: Router, deps: SessionRouteDeps): void {
  const { sessions, keys, plugins, startedAt, mutating } = deps
  const scoped = forSession(sessions)

  router.get('/health', (ctx) => {
    const all = sessions.list()
    ctx.body = success('OK', {
      runtime: 'up',
      whatsapp: sessions.default.state,
      sessions: { total: all.length, open: all.filter((session) => session.state === 'open').length },
      uptime_s: Math.round((Date.now() - startedAt) / 1000),
      plugins: plugins.status().map(({ name, state, reason }) => ({ name, state, ...(reason ? { reason } : {}) })),
    })
  })

  for (const base of ['/session', '/sessions/:session']) {
    router.get(base, scoped, (ctx) => {
      ctx.body = success('Session state retrieved successfully', sessionOf(ctx).info())
    })
    router.get(`${base}/qr.png`, scoped, async (ctx) => {
      const { whatsapp } = sessionOf(ctx)
      const qr = whatsapp.state === 'pairing' ? whatsapp.qr : undefined
      if (!qr) throw notFound(`There is no QR to scan: WhatsApp is ${whatsapp.state}${whatsapp.pairingCode ? ', pairing by code' : ''}`)
      ctx.type = 'image/png'
      ctx.set('Cache-Control', 'no-store')
      const { default: QRCode } = await import('qrcode')
      ctx.body = await QRCode.toBuffer(qr, { type: 'png', margin: 2, scale: 8 })
    })
  }

  // A session key may unlink only as an admin would: logging out is the operator's call.
  router.post('/session/logout', scoped, adminOnly, mutating, async (ctx) => {
    const session = await sessions.logout(sessionOf(ctx).id)
    ctx.body = success('Logged out; pair again to reconnect', { state: session.state })
  })
  router.post('/sessions/:session/logout', adminOnly, scoped, mutating, async (ctx) => {
    const session = await sessions.logout(sessionOf(ctx).id)
    ctx.body = success('Logged out; pair again to reconnect', { id: session.id, state: session.state })
  })

  router.get('/sessions', adminOnly, (ctx) => {
    ctx.body = success('Sessions retrieved successfully', sessions.list().map(summary))
  })

  router.post('/sessions', adminOnly, mutating, async (ctx) => {
    const checked = validateNewSession(ctx.state.body ?? {})
    if (!checked.ok) throw badRequest(checked.error.includes('id') ? `${checked.error} (${SESSION_ID_RULE})` : checked.error)
    const body = checked.value
    const session = await sessions.create({
      id: body.id,
      pairingPhone: body.pairing_phone ?? null,
      settings: {
        ...(body.owners ? { owners: body.owners } : {}),
        ...(body.prefixes ? { prefixes: body.prefixes } : {}),
        ...(body.disabled_plugins ? { disabledPlugins: body.disabled_plugins } : {}),
      },
    })
    ctx.status = 201
    ctx.body = success(`Session '${session.id}' created; pair it with GET /sessions/${session.id}`, session.info(), 201)
  })

  router.delete('/sessions/:session', adminOnly, scoped, mutating, async (ctx) => {
    const { id } = sessionOf(ctx)
    await sessions.remove(id)
    await keys.revokeAll(id)
    ctx.body = success(`Session '${id}' deleted`, { id })
  })

  router.post('/sessions/:session/keys', adminOnly, scoped, mutating, async (ctx) => {
    const checked = validateNewKey(ctx.state.body ?? {})
    if (!checked.ok) throw badRequest(checked.error)
    const { id } = sessionOf(ctx)
    const { key, info } = await keys.create(id, checked.value.label ?? null)
    ctx.status = 201
    ctx.body = success(`Key created for session '${id}'; it is shown only this once`, { ...info, session: id, key }, 201)
  })
  router.get('/sessions/:session/keys', adminOnly, scoped, (ctx) => {
    ctx.body = success('Keys retrieved successfully', keys.list(sessionOf(ctx).id))
  })
  router.delete('/sessions/:session/keys/:key', adminOnly, scoped, mutating, async (ctx) => {
    const { id } = sessionOf(ctx)
    const keyId = (ctx.params).key ?? ''
    if (!(await keys.revoke(id, keyId))) throw notFound(`Session '${id}' has no key '${keyId}'; GET /sessions/${id}/keys lists them`)
    ctx.body = success('Key revoked', { id: keyId })
  })
}

function summary(session: Session): { id: string; state: string; jid: string | null; lid: string | null } {
  const { id, state, jid, lid } = session.info()
  return { id, state, jid, lid }
}
