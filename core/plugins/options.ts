import { compileValidator, type JsonSchema } from '../validation.js'

export type OptionsResult = { ok: true; value: Record<string, unknown> } | { ok: false; error: string }

/**
 * Checks a plugin's options (from `pluginOptions.<plugin>`) against the schema
 * it declares, and fills in the schema's defaults. The error names the config
 * key the operator has to edit, e.g. `pluginOptions.welcome.greeting must be a string`.
 */
export function checkPluginOptions(plugin: string, schema: JsonSchema | undefined, given: Record<string, unknown> | undefined): OptionsResult {
  // A copy: filling in defaults must not write into the runtime's config.
  const value = structuredClone(given ?? {})
  if (!schema) return { ok: true, value }
  // Validated where it sits in the config, so every error's path starts with pluginOptions.<plugin>.
  const wrapped: JsonSchema = {
    type: 'object',
    properties: { pluginOptions: { type: 'object', properties: { [plugin]: withoutTitles(schema) } } },
  }
  let validate
  try {
    validate = compileValidator(wrapped)
  } catch (error) {
    return { ok: false, error: `its options schema is invalid: ${(error as Error).message}` }
  }
  const result = validate({ pluginOptions: { [plugin]: value } })
  return result.ok ? { ok: true, value } : { ok: false, error: `its options are invalid: ${result.error}` }
}

/** Display titles would replace the key in error messages; the operator needs the key. */
function withoutTitles(schema: JsonSchema): JsonSchema {
  const { title: _title, ...copy } = schema
  const properties = schema.properties
  if (isSchema(properties)) {
    copy.properties = Object.fromEntries(Object.entries(properties).map(([key, child]) => [key, isSchema(child) ? withoutTitles(child) : child]))
  }
  if (isSchema(schema.items)) copy.items = withoutTitles(schema.items)
  if (isSchema(schema.additionalProperties)) copy.additionalProperties = withoutTitles(schema.additionalProperties)
  return copy
}

const isSchema = (value: unknown): value is JsonSchema => typeof value === 'object' && value !== null && !Array.isArray(value)
