// Summaries of latency samples (ms).

export interface LatencySummary {
  count: number
  p50: number
  p99: number
  mean: number
}

export function summarize(samples: number[]): LatencySummary {
  const sorted = [...samples].sort((a, b) => a - b)
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? 0
  const mean = sorted.length ? sorted.reduce((sum, x) => sum + x, 0) / sorted.length : 0
  return { count: sorted.length, p50: round(at(0.5)), p99: round(at(0.99)), mean: round(mean) }
}

export function median(values: number[]): number {
  return summarize(values).p50
}

export function round(x: number, digits = 2): number {
  const f = 10 ** digits
  return Math.round(x * f) / f
}
