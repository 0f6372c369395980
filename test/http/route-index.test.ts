import assert from 'node:assert/strict'
import type { AddressInfo } from 'node:net'
import { after, before, describe, it } from 'node:test'
import Router, { type RouterMiddleware } from '@koa/router'
import Koa from 'koa'
import { indexedRoutes } from '../../core/http/route-index.js'

/** A router shaped like the API's: plain and session-scoped routes, a parameter first, a route for every method, and middleware. */
function apiLikeRouter(): Router {
  const router = new Router()
  const answer = (name: string): RouterMiddleware => (ctx) => {
    ctx.body = { name, params: ctx.params, matched: (ctx as { _matchedRoute?: string })._matchedRoute }
  }
  router.use('/sessions/:session/admin', async (ctx, next) => {
    ctx.set('X-Admin-Area', 'yes')
    await next()
  })
  for (const prefix of ['', '/sessions/:session']) {
    router.post(`${prefix}/groups`, answer('create'))
    router.get(`${prefix}/groups`, answer('list'))
    router.get(`${prefix}/groups/:jid`, answer('info'))
    router.post(`${prefix}/groups/:jid/leave`, answer('leave'))
    router.put(`${prefix}/groups/:jid/subject`, answer('subject'))
    router.delete(`${prefix}/groups/:jid/participants`, answer('remove'))
    router.post(`${prefix}/messages`, answer('send'))
  }
  router.get('/sessions/:session/admin/keys', answer('keys'))
  router.post('/:anything/echo', answer('echo'))
  router.all('/ping', answer('ping'))
  // Passes the request on after answering: the app's next layer sees it once.
  router.post('/passes-on', async (ctx, next) => {
    ctx.body = { name: 'passes-on' }
    await next()
  })
  return router
}

async function serve(routes: (router: Router) => ReturnType<Router['routes']>): Promise<{ url: string; close: () => Promise<void>; afterRouter: string[] }> {
  const router = apiLikeRouter()
  const afterRouter: string[] = []
  const app = new Koa()
  app.use(routes(router))
  app.use(router.allowedMethods())
  app.use((ctx) => {
    afterRouter.push(`${ctx.method} ${ctx.path}`)
  })
  const server = app.listen(0, '127.0.0.1')
  await new Promise((resolve) => server.once('listening', resolve))
  const { port } = server.address() as AddressInfo
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())), afterRouter }
}

const REQUESTS: [string, string][] = [
  ['POST', '/groups'],
  ['GET', '/groups'],
  ['GET', '/GROUPS/120363@g.us'],
  ['POST', '/sessions/sales/groups'],
  ['GET', '/sessions/sales/groups/120363%40g.us'],
  ['POST', '/groups/120363@g.us/leave'],
  ['PUT', '/sessions/sales/groups/1@g.us/subject'],
  ['DELETE', '/groups/1@g.us/participants'],
  ['GET', '/sessions/sales/admin/keys'],
  ['POST', '/whatever/echo'],
  ['POST', '/groups/echo'],
  ['PATCH', '/ping'],
  ['GET', '/ping'],
  ['POST', '/passes-on'],
  // Wrong methods, unknown paths, odd shapes and OPTIONS: the whole router's answers.
  ['GET', '/groups/1@g.us/leave'],
  ['DELETE', '/groups'],
  ['POST', '/nothing-here'],
  ['GET', '//groups'],
  ['POST', '/groups/'],
  ['OPTIONS', '/groups'],
  ['OPTIONS', '/sessions/sales/groups/1@g.us'],
  ['PATCH', '/groups'],
]

describe('routes looked for by method and first path segment', () => {
  let plain: Awaited<ReturnType<typeof serve>>
  let indexed: Awaited<ReturnType<typeof serve>>
  before(async () => {
    plain = await serve((router) => router.routes())
    indexed = await serve(indexedRoutes)
  })
  after(async () => {
    await plain.close()
    await indexed.close()
  })

  it('answers every request as the whole router does: route, params, status, Allow and headers', async () => {
    for (const [method, path] of REQUESTS) {
      const answers = await Promise.all(
        [plain, indexed].map(async ({ url }) => {
          const response = await fetch(`${url}${path}`, { method })
          return { status: response.status, allow: response.headers.get('allow'), admin: response.headers.get('x-admin-area'), body: await response.text() }
        }),
      )
      assert.deepEqual(answers[1], answers[0], `${method} ${path}`)
    }
    const create = await (await fetch(`${indexed.url}/sessions/sales/groups`, { method: 'POST' })).json()
    assert.deepEqual(create, { name: 'create', params: { session: 'sales' }, matched: '/sessions/:session/groups' })
    assert.equal((await fetch(`${indexed.url}/groups/1@g.us/leave`)).status, 405)
  })

  it('runs a route that passes the request on once, and lets what follows the router see it once', async () => {
    const before = indexed.afterRouter.length
    assert.deepEqual(await (await fetch(`${indexed.url}/passes-on`, { method: 'POST' })).json(), { name: 'passes-on' })
    assert.deepEqual(indexed.afterRouter.slice(before), ['POST /passes-on'])
  })
})
