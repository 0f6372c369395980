import type { HttpMethod } from '../actions/action.js'
import type { Envelope } from '../envelope.js'
import type { RequestOptions, TestResponse } from './api.js'

/** One call to the bot's HTTP API, authenticated with the kit's key unless the caller sends its own. */
export async function httpRequest<T>(baseUrl: string, apiKey: string, method: HttpMethod, route: string, body?: unknown, options: RequestOptions = {}): Promise<TestResponse<T>> {
  if (!route.startsWith('/')) throw new Error(`the path must start with '/': ${route}`)
  const headers: Record<string, string> = { authorization: apiKey, ...(body === undefined ? {} : { 'content-type': 'application/json' }) }
  for (const [name, value] of Object.entries(options.headers ?? {})) headers[name.toLowerCase()] = value
  const response = await fetch(`${baseUrl}${route}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) })
  const text = await response.text()
  try {
    return { status: response.status, envelope: JSON.parse(text) as Envelope<T>, headers: response.headers }
  } catch {
    throw new Error(`${method} ${route} answered ${response.status} with a body that is not an envelope: ${text.slice(0, 200)}`)
  }
}
