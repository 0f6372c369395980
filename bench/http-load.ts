// HTTP load at a fixed concurrency, driven by autocannon. Latencies are taken
// from its per-response event (ms, sub-millisecond) rather than its
// whole-millisecond histogram, so small differences stay visible.
import autocannon from 'autocannon'

export interface HttpRun {
  requests: number
  /** Responses other than 2xx, and connection errors: a run with any is not a fair number. */
  failures: number
  elapsedMs: number
  latencies: number[]
}

export interface HttpTarget {
  url: string
  method: 'GET' | 'POST'
  headers?: Record<string, string>
  body?: string
}

export async function httpRun(target: HttpTarget, connections: number, durationS: number): Promise<HttpRun> {
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
    headers: { ...(target.body === undefined ? {} : { 'content-type': 'application/json' }), ...target.headers },
    ...(target.body === undefined ? {} : { body: target.body }),
    },
    (error: Error | null, result) => (error ? fail(error) : finish(result)),
  )
  instance.on('response', (_client: unknown, status: number, _bytes: number, ms: number) => {
    if (status >= 200 && status < 300) latencies.push(ms)
    else failures++
  })
  const result = await done
  return { requests: latencies.length, failures: failures + result.errors, elapsedMs: performance.now() - started, latencies }
}
