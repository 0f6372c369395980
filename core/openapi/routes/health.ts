import type { OperationDoc } from '../operation.js'
import { CONNECTION_STATE } from './session-shapes.js'

export const healthOperations: OperationDoc[] = [
  {
    method: 'GET',
    path: '/health',
    operationId: 'health',
    tag: 'health',
    summary: 'Whether the runtime is up, how many sessions are connected, and each plugin',
    description: 'Needs no credential, so a load balancer or container health check can call it.',
    access: 'public',
    output: {
      type: 'object',
      required: ['runtime', 'whatsapp', 'sessions', 'uptime_s', 'plugins'],
      properties: {
        runtime: { const: 'up' },
        whatsapp: { ...CONNECTION_STATE, description: "The default session's connection." },
        sessions: {
          type: 'object',
          required: ['total', 'open'],
          properties: { total: { type: 'integer', minimum: 1 }, open: { type: 'integer', minimum: 0 } },
        },
        uptime_s: { type: 'integer', minimum: 0 },
        plugins: {
          type: 'array',
          items: {
            type: 'object',
            required: ['name', 'state'],
            properties: {
              name: { type: 'string' },
              state: { enum: ['loaded', 'running', 'failed', 'stopped'] },
              reason: { type: 'string', description: 'Why it failed.' },
            },
          },
        },
      },
    },
  },
]
