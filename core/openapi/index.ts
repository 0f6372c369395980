import type { RegisteredAction } from '../actions/registry.js'
import { actionOperations } from './action-operations.js'
import { buildDocument, type OpenApiDocument } from './document.js'
import { builtinOperations, type BuiltinOptions } from './routes/index.js'

export type { OpenApiDocument, OpenApiOperation } from './document.js'
export type { Access, OperationDoc } from './operation.js'

/**
 * The whole description: the runtime's own routes, then every action's, in
 * the order their plugins registered them. It depends only on the code and
 * on the settings that decide which routes exist and who may call them,
 * never on data (sessions, keys, webhooks), so it is safe to show without a key.
 */
export function describeApi(options: BuiltinOptions & { version: string; actions: readonly RegisteredAction[] }): OpenApiDocument {
  return buildDocument({ version: options.version, operations: [...builtinOperations(options), ...actionOperations(options.actions)] })
}
