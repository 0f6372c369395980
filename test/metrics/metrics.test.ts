// GET /metrics on a real listening server, the runtime logged in to the emulator:
// what a Prometheus scrape of a working bot reads. About 20 s (five bots).
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, it } from 'node:test'
import { startTestBot, type TestBot } from '../../core/testing/index.js'
import { WebhookReceiver } from '../support/webhook-receiver.js'

async function scrape(bot: TestBot, headers: Record<string, string> = {}): Promise<{ status: number; type: string; text: string }> {
  const response = await fetch(`${bot.url}/metrics`, { headers })
  return { status: response.status, type: response.headers.get('content-type') ?? '', text: await response.text() }
}

/** The value of one series, by its exact labels as Prometheus prints them; undefined when absent. */
function value(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `))
  return line === undefined ? undefined : Number(line.slice(series.length + 1))
}

async function until(check: () => Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

describe('GET /metrics', () => {
  it('counts a POST /groups and a chat command with their route and outcome, per runtime, without a key by default', async (t) => {
    const bot = await startTestBot(t, { builtins: ['help', 'groups'] })
    const alice = bot.contact('Alice')
    const created = await bot.request<{ jid: string }>('POST', '/groups', { name: 'Metrics', participants: [alice.phone] })
    assert.equal(created.status, 200)
    const jid = created.envelope.status ? created.envelope.data.jid : ''
    assert.equal((await bot.request('GET', `/groups/${jid}`)).status, 200)
    assert.equal((await bot.request('GET', '/no/such/route')).status, 404)
    const replies = await bot.say('!help', { from: bot.owner })
    assert.ok(replies.length > 0)
    const [unknown] = await bot.say('!nosuchcommand', { from: alice })
    assert.match(unknown ?? '', /I don't know !nosuchcommand/)

    const { status, type, text } = await scrape(bot)
    assert.equal(status, 200)
    assert.match(type, /^text\/plain; version=0\.0\.4/)
    assert.equal(value(text, 'waplug_http_requests_total{method="POST",route="/groups",code="200"}'), 1)
    // The route's pattern, never the raw path: one series however many groups there are.
    assert.ok(text.includes('route="/groups/:jid"'), 'GET /groups/<jid> is labelled with its pattern')
    assert.ok(!text.includes(jid), 'no raw group id in any label')
    assert.equal(value(text, 'waplug_http_requests_total{method="GET",route="(unmatched)",code="404"}'), 1)
    assert.equal(value(text, 'waplug_http_request_duration_seconds_count{method="POST",route="/groups",code="200"}'), 1)
    assert.equal(value(text, 'waplug_chat_commands_total{command="help",outcome="ok"}'), 1)
    assert.equal(value(text, 'waplug_chat_commands_total{command="(unknown)",outcome="unknown"}'), 1)
    assert.equal(value(text, 'waplug_whatsapp_connection_state{session="default",state="open"}'), 1)
    assert.equal(value(text, 'waplug_whatsapp_connection_state{session="default",state="closed"}'), 0)
    assert.ok((value(text, 'waplug_messages_received_total{session="default"}') ?? 0) >= 2, 'both commands were messages in')
    assert.ok((value(text, 'waplug_messages_sent_total{session="default"}') ?? 0) >= 2, 'both answers were messages out')
    assert.ok((value(text, 'waplug_pacing_waits_total{pacer="groups",session="default",outcome="immediate"}') ?? 0) >= 1, 'the group create went through the pacer')
    assert.equal(value(text, 'waplug_webhook_retries_total'), 0)
    assert.ok(value(text, 'process_cpu_user_seconds_total') !== undefined, "Node's default process metrics")
    // The example dashboard asks only for metrics that exist.
    const dashboard = readFileSync(path.join(import.meta.dirname, '..', '..', 'docs', 'grafana-dashboard.json'), 'utf8')
    const asked = new Set([...dashboard.matchAll(/\b((?:waplug|process|nodejs)_[a-z0-9_]+)/g)].map((m) => (m[1] ?? '').replace(/_(bucket|count|sum)$/, '')))
    for (const name of asked) assert.match(text, new RegExp(`^# TYPE ${name} `, 'm'), `docs/grafana-dashboard.json queries ${name}, which /metrics has`)

    // A second runtime in the same process has a registry of its own.
    const other = await startTestBot(t)
    const fresh = await scrape(other)
    assert.equal(fresh.status, 200)
    assert.equal(value(fresh.text, 'waplug_http_requests_total{method="POST",route="/groups",code="200"}'), undefined)
  })

  it('asks for an admin key when metrics.requireKey is on', async (t) => {
    const bot = await startTestBot(t, { config: { metrics: { enabled: true, requireKey: true } } })
    const without = await scrape(bot)
    assert.equal(without.status, 401)
    assert.equal((JSON.parse(without.text) as { status: boolean }).status, false)
    assert.equal((await scrape(bot, { authorization: 'wrong-key' })).status, 401)
    const withKey = await scrape(bot, { authorization: bot.apiKey })
    assert.equal(withKey.status, 200)
    assert.equal(value(withKey.text, 'waplug_http_requests_total{method="GET",route="/metrics",code="401"}'), 2)
    // /health stays open for load balancers and the container's health check.
    assert.equal((await fetch(`${bot.url}/health`)).status, 200)
  })

  it('counts webhook deliveries by outcome, retries, and the events waiting', async (t) => {
    const receiver = new WebhookReceiver()
    await receiver.start()
    t.after(() => receiver.stop())
    const bot = await startTestBot(t, {
      config: { webhooks: { allow: { loopback: true, private: false, linkLocal: false }, retry: { firstDelayMs: 50, maxDelayMs: 200, periodHours: 1 } } },
    })
    // The receiver is down until told otherwise: the event waits and is retried.
    receiver.fallback = { status: 503 }
    const created = await bot.request<{ id: string }>('POST', '/webhooks', { url: receiver.url, events: ['message.*'] })
    assert.equal(created.status, 201, JSON.stringify(created.envelope))
    const id = created.envelope.status ? created.envelope.data.id : ''
    await bot.send('hello', { from: bot.contact('Bea') })
    const depth = `waplug_webhook_queue_depth{webhook="${id}"}`
    await until(async () => {
      const now = (await scrape(bot)).text
      return value(now, depth) === 1 && (value(now, 'waplug_webhook_retries_total') ?? 0) >= 1
    }, 'the event to wait, retried')
    receiver.fallback = { status: 204 }
    await until(async () => (value((await scrape(bot)).text, 'waplug_webhook_deliveries_total{outcome="delivered"}') ?? 0) >= 1, 'a delivery')
    const { text } = await scrape(bot)
    assert.ok((value(text, 'waplug_webhook_deliveries_total{outcome="retrying"}') ?? 0) >= 2)
    assert.equal(value(text, depth), 0, 'nothing waits once delivered')
  })

  it('is not served when metrics.enabled is off', async (t) => {
    const bot = await startTestBot(t, { config: { metrics: { enabled: false, requireKey: false } } })
    assert.equal((await scrape(bot, { authorization: bot.apiKey })).status, 404)
  })

  it('follows the connection: a drop counts a reconnect, a replaced session shows closed', async (t) => {
    const bot = await startTestBot(t)
    const series = (state: string) => `waplug_whatsapp_connection_state{session="default",state="${state}"}`
    assert.equal(value((await scrape(bot)).text, 'waplug_whatsapp_reconnects_total{session="default"}'), 0)

    bot.emulator.faults.dropConnection()
    await until(async () => value((await scrape(bot)).text, 'waplug_whatsapp_reconnects_total{session="default"}') === 1, 'a reconnect to be counted')
    await until(async () => value((await scrape(bot)).text, series('open')) === 1, 'the session to be open again')

    // 440: another device took the session over; waplug stops rather than fight it.
    bot.emulator.faults.streamError(440)
    await until(async () => value((await scrape(bot)).text, series('closed')) === 1, 'the state gauge to show closed')
    const { text } = await scrape(bot)
    assert.equal(value(text, series('open')), 0)
  })
})
