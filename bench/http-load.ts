// HTTP load at a fixed concurrency, driven by autocannon. Latencies are taken
// from its per-response event (ms, sub-millisecond) rather than its
// whole-millisecond histogram, so small differences stay visible.
import autocannon from 'autocannon'
import type { Measured } from './results.js'

export interface HttpTarget {
  url: string
  method: 'GET' | 'POST'
  headers?: Record<string, string>
  body?: string
}

function headersOf(target: HttpTarget): Record<string, string> {
  return { ...(target.body === undefined ? {} : { 'content-type': 'application/json' }), ...target.headers }
}

export async function httpRun(target: HttpTarget, connections: number, durationS: number): Promise<Measured> {
  const latencies: number[] = []
  let failures = 0
  const started = performance.now()
  let finish: (result: autocannon.Result) => void = () => {}
  let fail: (error: Error) => void = () => {}
  const done = new Promise<autocannon.Result>((resolve, reject) => {
    finish = resolve
    fail = reject
  })
  const instance = autocannon(
    {
    url: target.url,
    method: target.method,
    connections,
    duration: durationS,
    headers: headersOf(target),
    ...(target.body === undefined ? {} : { body: target.body }),
    },
    (error: Error | null, result) => (error ? fail(error) : finish(result)),
  )
  instance.on('response', (_client: unknown, status: number, _bytes: number, ms: number) => {
    if (status >= 200 && status < 300) latencies.push(ms)
    else failures++
  })
  const result = await done
  return { count: latencies.length, failures: failures + result.errors, elapsedMs: performance.now() - started, latencies }
}

/**
 * `count` requests one after another on one kept-alive connection: latency with
 * nothing queued in front of it, the overhead a single caller sees.
 */
export async function sequentialRequests(target: HttpTarget, count: number): Promise<Measured> {
  const latencies: number[] = []
  let failures = 0
  const headers = headersOf(target)
  const started = performance.now()
  for (let i = 0; i < count; i++) {
    const sent = performance.now()
    const response = await fetch(target.url, { method: target.method, headers, ...(target.body === undefined ? {} : { body: target.body }) })
    await response.arrayBuffer()
    if (response.ok) latencies.push(performance.now() - sent)
    else failures++
  }
  return { count: latencies.length, failures, elapsedMs: performance.now() - started, latencies }
}
