import { NEW_SESSION_SCHEMA } from '../../http/session-routes.js'
import type { OperationDoc } from '../operation.js'
import { SESSION_PARAM } from './session-param.js'
import { CONNECTION_STATE, SESSION_INFO, SESSION_SUMMARY } from './session-shapes.js'

const session = { session: SESSION_PARAM }
const NO_QR = 'There is no QR to scan: the session is not pairing, or it pairs by code.'

/** Each number's state, QR and logout; and the management of numbers (admin). */
export const sessionOperations: OperationDoc[] = [
  ...(['/session', '/sessions/:session'] as const).flatMap((base): OperationDoc[] => {
    const inSession = base !== '/session'
    const common = { tag: 'sessions', ...(inSession ? { pathParams: session } : {}) }
    const suffix = inSession ? '.inSession' : ''
    return [
      {
        ...common,
        method: 'GET',
        path: base,
        operationId: `session.get${suffix}`,
        summary: inSession ? "A session's connection state, and how to pair it" : "The default session's connection state, and how to pair it",
        access: 'session',
        output: SESSION_INFO,
      },
      {
        ...common,
        method: 'GET',
        path: `${base}/qr.png`,
        operationId: `session.qr${suffix}`,
        summary: 'The QR code to scan with the phone, while pairing',
        description: 'Not cached; it changes every few seconds until the phone scans it.',
        access: 'session',
        content: { 'image/png': { type: 'string', contentMediaType: 'image/png', contentEncoding: 'binary' } },
        errors: { 404: NO_QR },
      },
      {
        ...common,
        method: 'POST',
        path: `${base}/logout`,
        operationId: `session.logout${suffix}`,
        summary: 'Unlink the number from this runtime; the session goes back to pairing',
        access: 'admin',
        mutating: true,
        output: inSession
          ? { type: 'object', required: ['id', 'state'], properties: { id: { type: 'string' }, state: CONNECTION_STATE } }
          : { type: 'object', required: ['state'], properties: { state: CONNECTION_STATE } },
        errors: { 503: 'WhatsApp is not connected, so the number cannot be unlinked now.' },
      },
    ]
  }),
  {
    method: 'GET',
    path: '/sessions',
    operationId: 'sessions.list',
    tag: 'sessions',
    summary: 'Every session (WhatsApp number) of this runtime',
    access: 'admin',
    output: { type: 'array', items: SESSION_SUMMARY },
  },
  {
    method: 'POST',
    path: '/sessions',
    operationId: 'sessions.create',
    tag: 'sessions',
    summary: 'Add a session for another number; it starts pairing at once',
    description: 'Pair it by scanning GET /sessions/{id}/qr.png, or send `pairing_phone` to get a code to type on the phone instead.',
    access: 'admin',
    mutating: true,
    status: 201,
    body: NEW_SESSION_SCHEMA,
    output: SESSION_INFO,
    errors: { 400: 'The id or a setting is not valid.', 409: 'A session with this id already exists.' },
  },
  {
    method: 'DELETE',
    path: '/sessions/:session',
    operationId: 'sessions.delete',
    tag: 'sessions',
    summary: 'Unlink a number and delete its session, its keys and everything stored for it',
    access: 'admin',
    mutating: true,
    pathParams: session,
    output: { type: 'object', required: ['id'], properties: { id: { type: 'string' } } },
    errors: { 409: 'The default session cannot be deleted; log it out instead.' },
  },
]
