// The API description served at GET /openapi.json: valid OpenAPI 3.1 (checked
// by an OpenAPI validator), complete (every mounted route, every action), free
// of anything a key protects, and the source of docs/http-reference.md.
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { after, before, describe, it } from 'node:test'
import { Validator } from '@seriousme/openapi-schema-validator'
import { resolve } from '../../core/container.js'
import type { OpenApiDocument } from '../../core/openapi/index.js'
import { referenceMarkdown } from '../../core/openapi/markdown.js'
import { PACKAGE_ROOT } from '../../core/package-root.js'
import { startTestBot, type TestBot } from '../../core/testing/index.js'
import { Tokens } from '../../core/tokens.js'

const describedAt = async (url: string): Promise<OpenApiDocument> => {
  const answer = await fetch(`${url}/openapi.json`)
  assert.equal(answer.status, 200, 'GET /openapi.json answers without a key by default')
  assert.match(answer.headers.get('content-type') ?? '', /^application\/json/)
  return (await answer.json()) as OpenApiDocument
}

const operationsOf = (document: OpenApiDocument) =>
  Object.entries(document.paths).flatMap(([route, methods]) => Object.entries(methods).map(([method, operation]) => ({ route, method: method.toUpperCase(), operation })))

describe('the API description (GET /openapi.json)', () => {
  let bot: TestBot
  let document: OpenApiDocument
  before(async () => {
    bot = await startTestBot({ builtins: true, config: { webhooks: { allow: { loopback: true, private: false, linkLocal: false } } } })
    document = await describedAt(bot.url)
  })
  after(() => bot.stop())

  it('is a valid OpenAPI 3.1 document, by an OpenAPI validator that also refuses a broken one', async () => {
    const validator = new Validator()
    const result = await validator.validate(structuredClone(document))
    assert.deepEqual(result.errors, undefined)
    assert.equal(result.valid, true)
    assert.equal(validator.version, '3.1')
    assert.equal((document.info as { title: string }).title, 'waplug')

    const broken = structuredClone(document)
    ;(broken.paths['/groups'] as Record<string, unknown>).get = { responses: { 200: { content: 'not a map of media types' } } }
    assert.equal((await new Validator().validate(broken)).valid, false, 'the validator catches a malformed operation')
  })

  it('describes every route the server mounts, and nothing it does not', () => {
    const mounted = resolve(bot.runtime.container, Tokens.Http)
      .routes()
      .map(({ method, path: route }) => `${method} ${route.replace(/:(\w+)/g, '{$1}')}`)
    const documented = operationsOf(document).map(({ method, route }) => `${method} ${route}`)
    assert.deepEqual(
      mounted.filter((route) => !documented.includes(route)),
      [],
      'mounted but not described: describe them in core/openapi/routes (built-in routes) or give the action an http binding',
    )
    assert.deepEqual(documented.filter((route) => !mounted.includes(route)), [], 'described but not mounted')
    assert.equal(new Set(documented).size, mounted.length)
  })

  it('describes each action as its route takes it: path, query and body parameters, output, and its copy for another session', () => {
    const info = document.paths['/groups/{jid}']?.get
    const parameters = (info?.parameters ?? []) as { name: string; in: string; required: boolean }[]
    assert.deepEqual(
      parameters.map((p) => [p.name, p.in, p.required]),
      [
        ['jid', 'path', true],
        ['refresh', 'query', false],
      ],
    )
    const create = document.paths['/groups']?.post
    const body = (create?.requestBody as { content: Record<string, { schema: { required: string[]; properties: object } }> }).content['application/json']?.schema
    assert.deepEqual(body?.required, ['name'])
    assert.deepEqual(Object.keys(body?.properties ?? {}), ['name', 'participants', 'send_invite'])
    assert.ok(((create?.parameters ?? []) as { name: string }[]).some((p) => p.name === 'Idempotency-Key'))
    const data = (create?.responses['200']?.content?.['application/json']?.schema.properties as { data: { required: string[] } }).data
    assert.ok(data.required.includes('failed_participants'), "POST /groups's answer is described, envelope included")
    assert.equal(document.paths['/sessions/{session}/groups']?.post?.operationId, 'groups.create.inSession')
    const add = document.paths['/groups/{jid}/participants/add']?.post
    assert.equal(((add?.parameters ?? []) as { name: string }[]).some((p) => p.name === 'participants'), false, 'a body field is not a parameter')

    const registry = resolve(bot.runtime.container, Tokens.Actions)
    const routed = registry.list().filter((action) => action.definition.http)
    const withoutOutput = routed.filter((action) => !action.definition.output).map((action) => action.id)
    assert.deepEqual(withoutOutput, [], 'every built-in action with a route declares its output schema')
    for (const action of routed) {
      const { method, path: route } = action.definition.http ?? { method: '', path: '' }
      const openApiPath = route.replace(/:(\w+)/g, '{$1}')
      assert.equal(document.paths[openApiPath]?.[method.toLowerCase()]?.operationId, action.id)
      assert.equal(document.paths[`/sessions/{session}${openApiPath}`]?.[method.toLowerCase()]?.operationId, `${action.id}.inSession`)
    }
  })

  it('tells who may call what: API key and Bearer schemes, the public routes marked, admin routes marked', () => {
    const schemes = (document.components as { securitySchemes: Record<string, Record<string, string>> }).securitySchemes
    assert.deepEqual(schemes.apiKey, { ...schemes.apiKey, type: 'apiKey', in: 'header', name: 'Authorization' })
    assert.deepEqual(schemes.bearer, { ...schemes.bearer, type: 'http', scheme: 'bearer' })
    const open = operationsOf(document)
      .filter(({ operation }) => Array.isArray(operation.security) && operation.security.length === 0)
      .map(({ method, route }) => `${method} ${route}`)
    assert.deepEqual(open.sort(), ['GET /docs', 'GET /docs/{file}', 'GET /health', 'GET /metrics', 'GET /openapi.json'])
    assert.equal(document.paths['/sessions']?.get?.['x-waplug-access'], 'admin')
    for (const { operation } of operationsOf(document)) {
      if (operation.security) continue
      assert.ok(operation.responses['401'], `${operation.operationId} lists 401`)
    }
  })

  it('holds nothing a key protects: it names no key, session, webhook or secret, and does not change when they do', async () => {
    const session = await bot.request('POST', '/sessions', { id: 'secret-team' })
    assert.equal(session.status, 201)
    const key = await bot.request<{ key: string }>('POST', '/sessions/secret-team/keys', { label: 'payroll' })
    const hook = await bot.request<{ secret: string }>('POST', '/webhooks', { url: 'http://127.0.0.1:9/private-hook-path', events: ['group.*'] })
    assert.equal(hook.status, 201)
    const again = await describedAt(bot.url)
    assert.deepEqual(again, document, 'the description depends on the code only')
    const text = JSON.stringify(again)
    const secrets = [bot.apiKey, 'secret-team', 'payroll', 'private-hook-path', key.envelope.status ? key.envelope.data.key : 'no key', hook.envelope.status ? hook.envelope.data.secret : 'no secret']
    assert.deepEqual(secrets.filter((secret) => text.includes(secret)), [])
    await bot.request('DELETE', '/sessions/secret-team')
  })

  it('is what docs/http-reference.md shows: run `npm run docs:http` after changing a route or an action', () => {
    const file = path.join(PACKAGE_ROOT, 'docs', 'http-reference.md')
    const written = readFileSync(file, 'utf8').split('\n')
    const wanted = referenceMarkdown(document).split('\n')
    const line = wanted.findIndex((text, index) => written[index] !== text)
    assert.equal(line === -1 && written.length === wanted.length, true, `docs/http-reference.md is out of date from line ${line + 1} ("${wanted[line] ?? ''}"): run \`npm run docs:http\` and commit it`)
  })
})
