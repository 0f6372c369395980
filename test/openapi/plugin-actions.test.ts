// What plugin authors see of the API description: an action without an
// output schema (a plugin written before outputs existed) still loads and is
// described as answering any JSON value; one with output, errors and a
// description is described with them; a malformed errors list disables the
// plugin with a reason. And http.openapi.public turns the key requirement on.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { Validator } from '@seriousme/openapi-schema-validator'
import { defineAction, definePlugin } from '../../core/index.js'
import type { OpenApiDocument } from '../../core/openapi/index.js'
import { startHarness, type Harness } from '../support/harness.js'

const legacy = definePlugin({
  name: 'legacy',
  version: '1.0.0',
  setup(plugin) {
    plugin.action(
      defineAction<{ word: string; id: string }, { echoed: string }>({
        name: 'echo',
        summary: 'Say a word back',
        needsWhatsApp: false,
        input: { type: 'object', additionalProperties: false, required: ['word', 'id'], properties: { word: { type: 'string', notBlank: true }, id: { type: 'string' } } },
        http: { method: 'POST', path: '/echo/:id' },
        successMessage: 'Echoed',
        failureMessage: 'Failed to echo',
        handler: ({ word }) => ({ echoed: word }),
      }),
    )
  },
})

const described = definePlugin({
  name: 'weather',
  version: '1.0.0',
  setup(plugin) {
    plugin.action(
      defineAction<{ city: string; days?: number }, { city: string; forecast: string[] }>({
        name: 'forecast',
        summary: 'The forecast for a city',
        description: 'Days ahead, from today.',
        needsWhatsApp: false,
        input: { type: 'object', additionalProperties: false, required: ['city'], properties: { city: { type: 'string' }, days: { type: 'integer', minimum: 1, maximum: 7 } } },
        output: { type: 'object', required: ['city', 'forecast'], properties: { city: { type: 'string' }, forecast: { type: 'array', items: { type: 'string' } } } },
        errors: { 404: 'There is no such city.' },
        http: { method: 'GET', path: '/weather/:city' },
        successMessage: 'Forecast',
        failureMessage: 'Failed to forecast',
        handler: ({ city }) => ({ city, forecast: ['sun'] }),
      }),
    )
    plugin.action(
      defineAction({
        name: 'export',
        summary: 'The forecasts as a CSV file',
        needsWhatsApp: false,
        input: { type: 'object', additionalProperties: false, properties: {} },
        output: { type: 'string', contentMediaType: 'text/csv' },
        http: { method: 'GET', path: '/weather.csv' },
        successMessage: 'CSV',
        failureMessage: 'Failed to export',
        handler: () => 'city,forecast\n',
      }),
    )
  },
})

const broken = definePlugin({
  name: 'broken',
  version: '1.0.0',
  setup(plugin) {
    plugin.action(
      defineAction({
        name: 'oops',
        summary: 'Lists a success as an error',
        input: { type: 'object', properties: {} },
        errors: { 200: 'Fine' } as never,
        http: { method: 'GET', path: '/oops' },
        successMessage: 'ok',
        failureMessage: 'no',
        handler: () => null,
      }),
    )
  },
})

describe('plugin actions in the API description', () => {
  let h: Harness
  let document: OpenApiDocument
  before(async () => {
    h = await startHarness({ plugins: [legacy, described, broken], builtinPlugins: false })
    const answer = await fetch(`${h.url}/openapi.json`)
    document = (await answer.json()) as OpenApiDocument
  })
  after(() => h.close())

  it('describes an action without an output schema as answering any JSON value, with its path parameter and body apart', async () => {
    const echo = document.paths['/echo/{id}']?.post
    assert.equal(echo?.operationId, 'legacy.echo')
    const data = (echo?.responses['200']?.content?.['application/json']?.schema.properties as Record<string, unknown>).data
    assert.deepEqual(data, { description: 'Any JSON value.' })
    assert.deepEqual(
      ((echo?.parameters ?? []) as { name: string; in: string }[]).map((p) => `${p.in}:${p.name}`),
      ['path:id', 'header:Idempotency-Key'],
    )
    const body = (echo?.requestBody as { required: boolean; content: Record<string, { schema: Record<string, unknown> }> }).content['application/json']?.schema
    assert.deepEqual(body?.required, ['word'])
    assert.deepEqual(body?.properties, { word: { type: 'string', pattern: '\\S' } }, "waplug's notBlank is told as a pattern other tools know")
    const answer = await h.request('POST', '/echo/7', { body: { word: 'hi' } })
    assert.deepEqual(answer.envelope, { status: true, code: 200, message: 'Echoed', data: { echoed: 'hi' } }, 'the old plugin works as before')
  })

  it("describes an action's output, description, own errors and query parameters", () => {
    const forecast = document.paths['/weather/{city}']?.get
    assert.equal(forecast?.description, 'Days ahead, from today.')
    assert.deepEqual(
      ((forecast?.parameters ?? []) as { name: string; in: string; required: boolean }[]).map((p) => [p.in, p.name, p.required]),
      [
        ['path', 'city', true],
        ['query', 'days', false],
      ],
    )
    const data = (forecast?.responses['200']?.content?.['application/json']?.schema.properties as Record<string, { required?: string[] }>).data
    assert.deepEqual(data?.required, ['city', 'forecast'])
    assert.match(String((forecast?.responses['404'] as { description: string }).description), /There is no such city\./)
    assert.equal(forecast?.responses['503'], undefined, 'an action that needs no WhatsApp connection does not answer 503')
  })

  it('describes an action that answers with a file (an output with contentMediaType) by its content type, not as an envelope', async () => {
    assert.equal((await new Validator().validate(structuredClone(document))).valid, true, 'the description with these plugins is valid OpenAPI 3.1')
    const file = document.paths['/weather.csv']?.get?.responses['200']?.content
    assert.deepEqual(Object.keys(file ?? {}), ['text/csv'])
    assert.equal(file?.['text/csv']?.schema.contentMediaType, 'text/csv')
    assert.ok(document.paths['/weather.csv']?.get?.responses['404'], 'its failures are still envelopes')
  })

  it('disables a plugin whose errors list names a status that is not an error, and says why', () => {
    const status = h.runtime.plugins().find((p) => p.name === 'broken')
    assert.equal(status?.state, 'failed')
    assert.match(status?.reason ?? '', /errors lists 200, which is not an error status/)
    assert.equal(document.paths['/oops'], undefined)
  })
})

describe('http.openapi.public', () => {
  it('false: GET /openapi.json needs a credential, the /docs page does not; the description says so', async () => {
    const h = await startHarness({ config: { http: { openapi: { public: false } } } })
    try {
      const open = await h.request('GET', '/openapi.json', { auth: null })
      assert.equal(open.status, 401)
      assert.equal(open.envelope.status, false)
      const page = await fetch(`${h.url}/docs`)
      assert.equal(page.status, 200)
      assert.match(page.headers.get('content-security-policy') ?? '', /script-src 'self'/)
      const keyed = await h.request('GET', '/openapi.json')
      assert.equal(keyed.status, 200)
      const self = (keyed.envelope as unknown as OpenApiDocument).paths['/openapi.json']?.get
      assert.equal(self?.security, undefined, 'it is described as needing a credential')
      assert.ok(self?.responses['401'])
    } finally {
      await h.close()
    }
  })

  it('can be set from the environment (OPENAPI_PUBLIC=false)', async () => {
    const h = await startHarness({ env: { OPENAPI_PUBLIC: 'false' } })
    try {
      assert.equal(h.runtime.config.http.openapi.public, false)
      assert.equal((await h.request('GET', '/openapi.json', { auth: null })).status, 401)
    } finally {
      await h.close()
    }
  })
})
