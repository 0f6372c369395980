import type { OperationDoc } from '../operation.js'
import { SESSION_PARAM } from './session-param.js'

const STREAM = {
  type: 'string',
  description:
    'Server-Sent Events: each event has `id:` (its place in the log), `event:` (its type) and `data:` (JSON: id, type, session, timestamp, data). Lines starting with `:` are heartbeats.',
  examples: ['id: 42\nevent: message.received\ndata: {"id":"evt_…","type":"message.received","session":"default","timestamp":"…","data":{…}}\n\n'],
}

const common = {
  method: 'GET',
  tag: 'events',
  query: {
    types: { type: 'string', default: '*', description: 'Comma-separated event types or patterns, like `message.*,group.*`.' },
    after: { type: 'integer', minimum: 0, description: 'Resume after this event id (as `Last-Event-ID` does).' },
  },
  headers: { 'Last-Event-ID': { type: 'string', description: 'Sent by EventSource when it reconnects: the events missed since are sent first.' } },
  content: { 'text/event-stream': STREAM },
} as const

/** The webhooks' events as a Server-Sent Events stream. */
export const eventOperations: OperationDoc[] = [
  { ...common, path: '/events', operationId: 'events.stream', summary: "Every session's events, live (Server-Sent Events)", access: 'admin' },
  {
    ...common,
    path: '/sessions/:session/events',
    operationId: 'events.stream.inSession',
    summary: "One session's events, live (Server-Sent Events)",
    access: 'session',
    pathParams: { session: SESSION_PARAM },
  },
]
