import Router from '@koa/router'

type Routes = ReturnType<Router['routes']>
type Layer = Router['stack'][number]

/** A pattern's first segment when it is plain text (`groups` of `/groups/:jid`); undefined when it could match more than one. */
function staticHead(layer: Layer): string | undefined {
  if (typeof layer.path !== 'string') return undefined
  const head = layer.path.split('/')[1] ?? ''
  return /[:*?+(){}\\]/.test(head) ? undefined : head.toLowerCase()
}

/**
 * The router's routes, looked for among those that can match the request's
 * method and first path segment. @koa/router tests every route's pattern on
 * every request, and the API has two routes per action (with and without
 * `/sessions/:session`): about 190 patterns for each `POST /groups`. The
 * routers here hold the same route objects in the same order, so what a
 * request matches, its params and its `_matchedRoute` are what the whole
 * router gives. When none of them matches, the whole router runs, so a wrong
 * method still gets its 405 with the Allow header, and OPTIONS its answer.
 */
export function indexedRoutes(router: Router): Routes {
  const all = router.routes()
  const routers = new Map<string, Routes>()
  const subset = (keep: (layer: Layer) => boolean): Routes => {
    const only = new Router()
    only.stack = router.stack.filter((layer) => layer.methods.length === 0 || keep(layer))
    return only.routes()
  }
  for (const method of new Set(router.stack.flatMap((layer) => layer.methods))) {
    const ofMethod = (layer: Layer) => layer.methods.includes(method)
    const heads = new Set(router.stack.filter(ofMethod).map(staticHead))
    for (const head of heads) {
      if (head !== undefined) routers.set(`${method} ${head}`, subset((layer) => ofMethod(layer) && [head, undefined].includes(staticHead(layer))))
    }
    // A first segment no pattern names as text: only the patterns that start with a parameter can match it.
    routers.set(method, subset((layer) => ofMethod(layer) && staticHead(layer) === undefined))
  }
  const dispatch: Routes = (ctx, next) => {
    const head = (ctx.path.split('/', 2)[1] ?? '').toLowerCase()
    const routes = routers.get(`${ctx.method} ${head}`) ?? routers.get(ctx.method)
    if (!routes) return all(ctx, next) as Promise<void>
    return routes(ctx, () => {
      // A route that ran and passed the request on goes on down the app; it must not run a second time.
      if (ctx.routeMatched) return next()
      ctx.matched = undefined
      return all(ctx, next) as Promise<void>
    }) as Promise<void>
  }
  return dispatch
}
