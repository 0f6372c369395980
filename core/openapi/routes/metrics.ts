import type { OperationDoc } from '../operation.js'

/** GET /metrics, when metrics.enabled: Prometheus' text format, for admin credentials only with metrics.requireKey. */
export function metricsOperations(metrics: { enabled: boolean; requireKey: boolean }): OperationDoc[] {
  if (!metrics.enabled) return []
  return [
    {
      method: 'GET',
      path: '/metrics',
      operationId: 'metrics',
      tag: 'metrics',
      summary: 'Metrics for Prometheus: HTTP requests, chat commands, WhatsApp connections, messages, webhooks and the process',
      description: metrics.requireKey
        ? 'Needs an admin credential here (metrics.requireKey), since it covers every session.'
        : 'Needs no credential (metrics.requireKey is false), for a scraper on a private network.',
      access: metrics.requireKey ? 'admin' : 'public',
      content: { 'text/plain': { type: 'string', description: "Prometheus' text exposition format." } },
    },
  ]
}
