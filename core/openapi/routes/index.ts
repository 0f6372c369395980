import type { OperationDoc } from '../operation.js'
import { apiDocsOperations } from './api-docs.js'
import { eventOperations } from './events.js'
import { healthOperations } from './health.js'
import { metricsOperations } from './metrics.js'
import { sessionKeyOperations } from './session-keys.js'
import { sessionOperations } from './sessions.js'
import { webhookOperations } from './webhooks.js'

/** What decides which built-in routes exist and who may call them: the configuration. */
export interface BuiltinOptions {
  openapiPublic: boolean
  metrics: { enabled: boolean; requireKey: boolean }
}

/** The routes the runtime mounts itself (core/http), in the order the reference shows them. */
export function builtinOperations(options: BuiltinOptions): OperationDoc[] {
  return [
    ...healthOperations,
    ...sessionOperations,
    ...sessionKeyOperations,
    ...webhookOperations,
    ...eventOperations,
    ...metricsOperations(options.metrics),
    ...apiDocsOperations(options.openapiPublic),
  ]
}
