import type { OperationDoc } from '../operation.js'
import { apiDocsOperations } from './api-docs.js'
import { eventOperations } from './events.js'
import { healthOperations } from './health.js'
import { sessionKeyOperations } from './session-keys.js'
import { sessionOperations } from './sessions.js'
import { webhookOperations } from './webhooks.js'

/** The routes the runtime mounts itself (core/http), in the order the reference shows them. */
export function builtinOperations(options: { openapiPublic: boolean }): OperationDoc[] {
  return [...healthOperations, ...sessionOperations, ...sessionKeyOperations, ...webhookOperations, ...eventOperations, ...apiDocsOperations(options.openapiPublic)]
}
