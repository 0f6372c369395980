// The HTTP baseline: what a user would write by hand in front of a Baileys
// socket — Koa, a router, two handlers. No auth, no validation, no envelope.
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import Router from '@koa/router'
import type { WASocket } from '@whiskeysockets/baileys'
import Koa from 'koa'

export async function serveRawGroups(socket: () => WASocket | undefined, port: number, host: string): Promise<{ server: Server; url: string }> {
  const app = new Koa()
  const router = new Router()
  router.post('/groups', async (ctx) => {
    const chunks: Buffer[] = []
    for await (const chunk of ctx.req) chunks.push(chunk as Buffer)
    const { name, participants } = JSON.parse(Buffer.concat(chunks).toString()) as { name: string; participants: string[] }
    ctx.body = await live(socket).groupCreate(name, participants)
  })
  router.get('/groups/:jid', async (ctx) => {
    ctx.body = await live(socket).groupMetadata(ctx.params.jid ?? '')
  })
  app.use(router.routes())
  const server = app.listen({ port, host })
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve)
    server.once('error', reject)
  })
  const { address, port: bound } = server.address() as AddressInfo
  return { server, url: `http://${address}:${bound}` }
}

function live(socket: () => WASocket | undefined): WASocket {
  const sock = socket()
  if (!sock) throw new Error('WhatsApp is not connected')
  return sock
}
