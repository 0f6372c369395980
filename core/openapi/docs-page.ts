import { createRequire } from 'node:module'
import path from 'node:path'

/** The files of swagger-ui-dist the page loads, served from our own server: a bot's server may have no internet. */
export const UI_FILES: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
}

/** Where swagger-ui-dist is installed: its package has no entry point that needs loading. */
export const uiFolder = (): string => path.dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'))

/** Scripts only from this server, no inline script; Swagger UI sets styles inline and draws images as data: URLs. */
export const PAGE_POLICY = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'"

export const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>waplug — API reference</title>
<link rel="icon" type="image/png" href="/docs/favicon-32x32.png">
<link rel="stylesheet" href="/docs/swagger-ui.css">
<link rel="stylesheet" href="/docs/page.css">
</head>
<body>
<header class="waplug-head"><p>waplug HTTP API reference. Press <b>Authorize</b>, paste an API key, then <b>Try it out</b> on any route.</p></header>
<form id="key-form" class="waplug-key" hidden>
<p>This server shares its API description only with a credential (http.openapi.public is false). Paste an API key:</p>
<input name="key" type="password" autocomplete="off" aria-label="API key"> <button type="submit">Show the API</button>
<p class="waplug-error" role="alert"></p>
</form>
<div id="api"></div>
<script src="/docs/swagger-ui-bundle.js"></script>
<script src="/docs/init.js"></script>
</body>
</html>
`

export const PAGE_CSS = `.waplug-head, .waplug-key { max-width: 1460px; margin: 0 auto; padding: 16px 20px 0; font-family: sans-serif; }
.waplug-head p { margin: 4px 0 0; color: #3b4151; }
.waplug-error { color: #b00020; }
`

/**
 * Loads the description and starts Swagger UI on it. When the description
 * needs a credential, it asks for a key first, and the same key then
 * authorizes "Try it out". Nothing is kept in the browser's storage.
 */
export const INIT_SCRIPT = `'use strict'
;(async () => {
  const start = (spec, key) => {
    window.ui = SwaggerUIBundle({
      spec,
      dom_id: '#api',
      deepLinking: true,
      validatorUrl: null,
      presets: [SwaggerUIBundle.presets.apis],
      layout: 'BaseLayout',
      onComplete: () => key && window.ui.preauthorizeApiKey('apiKey', key),
    })
  }
  const load = (key) => fetch('/openapi.json', { headers: key ? { authorization: key } : {} })
  const first = await load()
  if (first.ok) return start(await first.json())
  const form = document.getElementById('key-form')
  const problem = form.querySelector('.waplug-error')
  if (first.status !== 401) {
    form.hidden = false
    form.querySelector('input').hidden = true
    form.querySelector('button').hidden = true
    problem.textContent = 'GET /openapi.json answered ' + first.status + '; check the server log.'
    return
  }
  form.hidden = false
  form.addEventListener('submit', async (event) => {
    event.preventDefault()
    const key = form.elements.key.value.trim()
    const answer = await load(key)
    if (!answer.ok) {
      const envelope = await answer.json().catch(() => ({}))
      problem.textContent = envelope.error || 'The server answered ' + answer.status
      return
    }
    form.hidden = true
    start(await answer.json(), key)
  })
})()
`
