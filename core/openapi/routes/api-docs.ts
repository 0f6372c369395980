import { UI_FILES } from '../docs-page.js'
import type { OperationDoc } from '../operation.js'

/** The description itself and the page that shows it. */
export function apiDocsOperations(openapiPublic: boolean): OperationDoc[] {
  return [
    {
      method: 'GET',
      path: '/openapi.json',
      operationId: 'openapi',
      tag: 'api docs',
      summary: 'This description of the HTTP API (OpenAPI 3.1)',
      description: openapiPublic
        ? 'Needs no credential (http.openapi.public): it describes routes, never data.'
        : 'Needs a credential here (http.openapi.public is false).',
      access: openapiPublic ? 'public' : 'session',
      content: {
        'application/json': {
          type: 'object',
          description: 'An OpenAPI 3.1 document (not an envelope).',
          required: ['openapi', 'info', 'paths'],
          properties: { openapi: { const: '3.1.0' }, info: { type: 'object' }, paths: { type: 'object' } },
          additionalProperties: true,
        },
      },
    },
    {
      method: 'GET',
      path: '/docs',
      operationId: 'docs',
      tag: 'api docs',
      summary: 'A page to read this API and try its routes with your key (Swagger UI)',
      access: 'public',
      content: { 'text/html': { type: 'string' } },
    },
    {
      method: 'GET',
      path: '/docs/:file',
      operationId: 'docs.file',
      tag: 'api docs',
      summary: "A file the page loads (Swagger UI's scripts and styles, served from this server)",
      access: 'public',
      pathParams: { file: { type: 'string', description: 'A file name the page asks for.', examples: Object.keys(UI_FILES) } },
      content: { '*/*': { type: 'string' } },
      errors: { 404: 'The page has no such file.' },
    },
  ]
}
