import { createReadStream } from 'node:fs'
import path from 'node:path'
import type Router from '@koa/router'
import type { OpenApiDocument } from '../openapi/document.js'
import { INIT_SCRIPT, PAGE, PAGE_CSS, PAGE_POLICY, UI_FILES, uiFolder } from '../openapi/docs-page.js'

/** Our own files of the page, besides Swagger UI's. */
const OWN_FILES: Record<string, { type: string; body: string }> = {
  'init.js': { type: 'text/javascript; charset=utf-8', body: INIT_SCRIPT },
  'page.css': { type: 'text/css; charset=utf-8', body: PAGE_CSS },
}

/** The paths that answer without a credential: the page always (it holds no data), the description when configured so. */
export function apiDocsPublicPaths(openapiPublic: boolean): string[] {
  const files = [...Object.keys(UI_FILES), ...Object.keys(OWN_FILES)].map((file) => `/docs/${file}`)
  return ['/docs', ...files, ...(openapiPublic ? ['/openapi.json'] : [])]
}

/**
 * `GET /openapi.json`, the API's description, and `GET /docs`, a page to read
 * it and try routes, with Swagger UI's files from node_modules.
 */
export function addApiDocsRoutes(router: Router, document: () => OpenApiDocument): void {
  // Serialized once: it is a few hundred kilobytes, and the same for every request.
  let text: string | undefined
  router.get('/openapi.json', (ctx) => {
    ctx.set('Cache-Control', 'no-cache')
    ctx.type = 'application/json; charset=utf-8'
    ctx.body = (text ??= JSON.stringify(document()))
  })
  router.get('/docs', (ctx) => {
    ctx.set('Content-Security-Policy', PAGE_POLICY)
    ctx.type = 'text/html; charset=utf-8'
    ctx.body = PAGE
  })
  const folder = uiFolder()
  router.get('/docs/:file', (ctx, next) => {
    const file = ctx.params.file ?? ''
    const own = OWN_FILES[file]
    const type = UI_FILES[file]
    if (!own && !type) return next()
    ctx.set('Cache-Control', 'public, max-age=3600')
    ctx.type = own?.type ?? type ?? ''
    ctx.body = own ? own.body : createReadStream(path.join(folder, file))
  })
}
