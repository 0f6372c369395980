import type Router from '@koa/router'
import type { Middleware } from 'koa'
import { success } from '../envelope.js'
import { notFound } from '../errors.js'
import type { PluginHost } from '../plugins/host.js'
import type { WhatsApp } from '../whatsapp/types.js'

export const PUBLIC_PATHS = new Set(['/health'])

/** Health (no auth) and the WhatsApp session: state, QR while pairing, logout. */
export function addSessionRoutes(router: Router, whatsapp: WhatsApp, plugins: PluginHost, startedAt: number, mutating: Middleware): void {
  router.get('/health', (ctx) => {
    ctx.body = success('OK', {
      runtime: 'up',
      whatsapp: whatsapp.state,
      uptime_s: Math.round((Date.now() - startedAt) / 1000),
      plugins: plugins.status().map(({ name, state }) => ({ name, state })),
    })
  })

  router.get('/session', (ctx) => {
    ctx.body = success('Session state retrieved successfully', {
      state: whatsapp.state,
      jid: whatsapp.me?.jid ?? null,
      qr: whatsapp.state === 'pairing' ? (whatsapp.qr ?? null) : null,
      pairing_code: whatsapp.state === 'pairing' ? (whatsapp.pairingCode ?? null) : null,
    })
  })

  router.get('/session/qr.png', async (ctx) => {
    const qr = whatsapp.state === 'pairing' ? whatsapp.qr : undefined
    if (!qr) throw notFound(`There is no QR to scan: WhatsApp is ${whatsapp.state}`)
    ctx.type = 'image/png'
    ctx.set('Cache-Control', 'no-store')
    const { default: QRCode } = await import('qrcode')
    ctx.body = await QRCode.toBuffer(qr, { type: 'png', margin: 2, scale: 8 })
  })

  router.post('/session/logout', mutating, async (ctx) => {
    await whatsapp.logout()
    ctx.body = success('Logged out; pair again to reconnect', { state: whatsapp.state })
  })
}
