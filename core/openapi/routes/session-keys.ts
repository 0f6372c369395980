import { NEW_KEY_SCHEMA } from '../../http/session-routes.js'
import type { JsonSchema } from '../../validation.js'
import type { OperationDoc } from '../operation.js'
import { SESSION_PARAM } from './session-param.js'

const KEY_INFO: JsonSchema = {
  type: 'object',
  required: ['id', 'label', 'created_at'],
  properties: { id: { type: 'string' }, label: { type: ['string', 'null'] }, created_at: { type: 'string', format: 'date-time' } },
}

/** API keys that reach one session only: for a team or a customer who runs one number. */
export const sessionKeyOperations: OperationDoc[] = [
  {
    method: 'POST',
    path: '/sessions/:session/keys',
    operationId: 'sessionKeys.create',
    tag: 'session keys',
    summary: 'Make an API key that reaches only this session',
    description: 'The key is in the answer only this once; the runtime keeps only its hash.',
    access: 'admin',
    mutating: true,
    status: 201,
    pathParams: { session: SESSION_PARAM },
    body: NEW_KEY_SCHEMA,
    output: {
      type: 'object',
      required: ['id', 'label', 'created_at', 'session', 'key'],
      properties: { ...(KEY_INFO.properties as object), session: { type: 'string' }, key: { type: 'string', description: 'Send it as `Authorization: <key>`.' } },
    },
  },
  {
    method: 'GET',
    path: '/sessions/:session/keys',
    operationId: 'sessionKeys.list',
    tag: 'session keys',
    summary: "A session's keys (without the keys themselves)",
    access: 'admin',
    pathParams: { session: SESSION_PARAM },
    output: { type: 'array', items: KEY_INFO },
  },
  {
    method: 'DELETE',
    path: '/sessions/:session/keys/:key',
    operationId: 'sessionKeys.revoke',
    tag: 'session keys',
    summary: 'Revoke a session key',
    access: 'admin',
    mutating: true,
    pathParams: { session: SESSION_PARAM, key: { type: 'string', description: "The key's id, from GET /sessions/{session}/keys." } },
    output: { type: 'object', required: ['id'], properties: { id: { type: 'string' } } },
    errors: { 404: 'The session has no key with this id.' },
  },
]
