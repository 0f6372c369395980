// Webhooks under load: the runtime as its own process (compiled, as `npm
// start` runs it) on the emulator, with a subscription to every event (`*`)
// pointing at a plain node:http receiver in this process that answers 204
// and counts what it gets (no signature check: the receiver costs next to
// nothing, so the rates are the sender's).
//
//  1. What a subscription costs the chat: the same runtime with and without
//     one, side by side in interleaved rounds of `!ping` from every contact,
//     each side on an emulator of its own; throughput, latency and the bot's
//     CPU per round trip, as ratios. A round on either side ends once the
//     receiver has heard nothing for a moment, so the deliveries a round
//     caused are in its CPU.
//  2. Deliveries per second while contacts write (a plain text, then a
//     `!ping` answered before the next) for `--duration` seconds, until the
//     last event is delivered.
//  3. A burst: the receiver goes down, contacts send `--burst` plain texts
//     (one event each), then it comes back; how long the runtime's retries
//     take to reach it, and how fast the backlog drains.
//
//   npm run bench -- --webhooks [--quick] [--contacts 4] [--commands 1500] [--rounds 6] [--duration 10] [--burst 1000]
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { writeFileSync } from 'node:fs'
import type { BotProcess } from './bot-process.js'
import { pingBatch } from './chat-load.js'
import { compileBots } from './compile-bots.js'
import type { BenchOptions } from './options.js'
import { addRound, emptyTally, machine, versus, type LoadTally, type Machine, type Versus } from './results.js'
import { API_KEY, Side } from './side.js'
import { round } from './stats.js'

/** A round, a load or a drain is over when the receiver has heard nothing for this long. */
const QUIET_MS = 250
/** Both sides get the same configuration; only one has a subscription. */
const ENV = { WEBHOOKS_ALLOW_LOOPBACK: 'true' }

export interface ChatCost extends Versus<'webhooks', 'none'> {
  /** webhooks p50 − none p50, ms. */
  p50OverheadMs: number
  /** Events the receiver got during the rounds of the side with the subscription. */
  eventsDelivered: number
  eventsPerRoundTrip: number
  /** (webhooks − none) bot CPU per round trip / events per round trip, µs: what one delivered event costs the bot. */
  botCpuMicrosPerEvent: number
  /** Deliveries still owed when the rounds were over (0: every round drained). */
  pendingAfter: number
}

export interface SteadyDelivery {
  contacts: number
  /** Seconds of load. */
  seconds: number
  /** `!ping` answered, each after a plain text. */
  roundTrips: number
  texts: number
  /** Events the receiver got, from the load's start to the last delivery. */
  delivered: number
  byType: Record<string, number>
  /** Delivered during the load / the load's seconds. */
  deliveredPerSecondDuringLoad: number
  /** Delivered / (load start → last delivery). */
  eventsPerSecond: number
  /** Deliveries still owed when the load stopped. */
  backlogAtEnd: number
  /** Load stopped → last delivery, ms. */
  catchUpMs: number
}

export interface BurstDelivery {
  /** Plain texts sent while the receiver was down: one message.received each. */
  events: number
  /** Sending them all, ms (the runtime acknowledging each). */
  sendMs: number
  /** The events stored, owed to the subscription, while the receiver was down. */
  pendingWhileDown: number
  /** Receiver down → back, ms. */
  downMs: number
  /** Receiver back → first delivery, ms: the retry backoff still running. */
  firstDeliveryAfterMs: number
  /** First → last delivery of the burst, ms. */
  drainMs: number
  /** events / drainMs. */
  eventsPerSecond: number
  /** Receiver back → last delivery, ms: backoff and drain. */
  timeToDrainMs: number
}

export interface WebhooksResults {
  command: string
  machine: Machine
  options: Pick<BenchOptions, 'contacts' | 'commands' | 'rounds' | 'warmup' | 'duration' | 'burst' | 'quick'>
  elapsedS: number
  chat: ChatCost
  steady: SteadyDelivery
  burst: BurstDelivery
}

export async function runWebhooksBench(options: BenchOptions, command: string, progress: (line: string) => void = () => {}): Promise<WebhooksResults> {
  const began = performance.now()
  progress('compiling the runtime bot')
  compileBots()
  const receiver = new Receiver()
  await receiver.listen()
  const sides: Side[] = []
  try {
    const on = await Side.create('runtime', options.contacts, undefined, 'runtime', ENV)
    sides.push(on)
    const off = await Side.create('runtime', options.contacts, undefined, 'runtime', ENV)
    sides.push(off)
    progress('pairing both runtimes')
    await Promise.all(sides.map((s) => s.start()))
    const subscription = await subscribe(on, receiver.url)
    progress(`subscribed to * at ${receiver.url} (${subscription}) on one of them`)
    await drained(on, subscription, receiver)

    const chat = await costPhase(on, off, subscription, receiver, options, progress)
    // The rest is the subscribed runtime's alone.
    await off.close()
    sides.splice(sides.indexOf(off), 1)
    const steady = await steadyPhase(on, subscription, receiver, options.duration, progress)
    const burst = await burstPhase(on, subscription, receiver, options.burst, progress)
    return {
      command,
      machine: machine(),
      options: {
        contacts: options.contacts,
        commands: options.commands,
        rounds: options.rounds,
        warmup: options.warmup,
        duration: options.duration,
        burst: options.burst,
        quick: options.quick,
      },
      elapsedS: round((performance.now() - began) / 1000, 1),
      chat,
      steady,
      burst,
    }
  } finally {
    for (const s of sides) await s.close()
    await receiver.close()
  }
}

async function costPhase(on: Side, off: Side, subscription: string, receiver: Receiver, options: BenchOptions, progress: (line: string) => void): Promise<ChatCost> {
  const pair = [on, off] as const
  if (options.warmup > 0) {
    progress(`chat: warm-up, ${options.warmup} round trip(s) per contact`)
    for (const s of pair) await pingBatch(s.signal, s.contacts, options.warmup * options.contacts)
    await drained(on, subscription, receiver)
  }
  const tallies = new Map<Side, LoadTally>(pair.map((s) => [s, emptyTally()]))
  const perRound = Math.max(1, Math.ceil(options.commands / options.rounds))
  let eventsDelivered = 0
  for (let i = 0; i < options.rounds; i++) {
    progress(`chat: round ${i + 1}/${options.rounds}, ${perRound} round trips per runtime, ${options.contacts} contacts`)
    for (const s of i % 2 === 0 ? pair : [...pair].reverse()) {
      const before = await bot(s).cpu()
      const heard = receiver.count
      const batch = await pingBatch(s.signal, s.contacts, perRound)
      // The same wait on both sides; on the subscribed one it ends after its last delivery.
      await receiver.quiet(QUIET_MS)
      const after = await bot(s).cpu()
      if (s === on) eventsDelivered += receiver.count - heard
      addRound(tallies.get(s) ?? emptyTally(), batch, after.cpuMicros - before.cpuMicros)
    }
  }
  const compared = versus('webhooks', tallies.get(on) ?? emptyTally(), 'none', tallies.get(off) ?? emptyTally())
  const eventsPerRoundTrip = compared.webhooks.count ? eventsDelivered / compared.webhooks.count : 0
  return {
    ...compared,
    p50OverheadMs: round(compared.webhooks.p50Ms - compared.none.p50Ms),
    eventsDelivered,
    eventsPerRoundTrip: round(eventsPerRoundTrip),
    botCpuMicrosPerEvent: eventsPerRoundTrip ? Math.round((compared.webhooks.botCpuMicrosPerOp - compared.none.botCpuMicrosPerOp) / eventsPerRoundTrip) : 0,
    pendingAfter: await pending(on, subscription),
  }
}

async function steadyPhase(side: Side, subscription: string, receiver: Receiver, seconds: number, progress: (line: string) => void): Promise<SteadyDelivery> {
  progress(`steady: ${side.contacts.length} contacts each sending a text and a !ping, for ${seconds} s`)
  await drained(side, subscription, receiver)
  const heard = receiver.count
  const typesBefore = new Map(receiver.byType)
  let roundTrips = 0
  let texts = 0
  const started = performance.now()
  const deadline = started + seconds * 1000
  await Promise.all(
    side.contacts.map(async (contact) => {
      while (performance.now() < deadline) {
        await contact.say(`hello ${texts++}`)
        const { id } = await contact.say('!ping')
        const [reply] = await side.signal.repliesTo(id)
        if (reply?.text !== 'pong') throw new Error(`expected pong, got ${JSON.stringify(reply?.text)}`)
        roundTrips++
      }
    }),
  )
  const ended = performance.now()
  const duringLoad = receiver.count - heard
  const backlogAtEnd = await pending(side, subscription)
  await drained(side, subscription, receiver)
  const delivered = receiver.count - heard
  const lastAt = receiver.lastAt
  const byType: Record<string, number> = {}
  for (const [type, n] of receiver.byType) if (n - (typesBefore.get(type) ?? 0) > 0) byType[type] = n - (typesBefore.get(type) ?? 0)
  const result: SteadyDelivery = {
    contacts: side.contacts.length,
    seconds: round((ended - started) / 1000, 1),
    roundTrips,
    texts,
    delivered,
    byType,
    deliveredPerSecondDuringLoad: round((1000 * duringLoad) / (ended - started), 1),
    eventsPerSecond: round((1000 * delivered) / (Math.max(lastAt, ended) - started), 1),
    backlogAtEnd,
    catchUpMs: Math.max(0, Math.round(lastAt - ended)),
  }
  progress(`steady: ${delivered} events delivered, ${result.eventsPerSecond}/s, ${backlogAtEnd} owed when the load stopped`)
  return result
}

async function burstPhase(side: Side, subscription: string, receiver: Receiver, events: number, progress: (line: string) => void): Promise<BurstDelivery> {
  await drained(side, subscription, receiver)
  progress(`burst: receiver down, ${events} texts from ${side.contacts.length} contacts`)
  const heard = receiver.count
  await receiver.down()
  const downAt = performance.now()
  let sent = 0
  await Promise.all(
    side.contacts.map(async (contact) => {
      while (sent < events) {
        sent++
        await contact.say(`burst ${sent}`)
      }
    }),
  )
  const sendMs = performance.now() - downAt
  await until(async () => (await pending(side, subscription)) >= events, `${events} events to be owed to the receiver`, 120_000)
  const pendingWhileDown = await pending(side, subscription)
  await receiver.up()
  const upAt = performance.now()
  progress(`burst: ${pendingWhileDown} events owed; receiver back after ${Math.round(upAt - downAt)} ms`)
  const lastAt = await receiver.reached(heard + events, 300_000)
  const firstAt = receiver.firstSinceUp ?? lastAt
  await drained(side, subscription, receiver)
  const drainMs = lastAt - firstAt
  const result: BurstDelivery = {
    events,
    sendMs: Math.round(sendMs),
    pendingWhileDown,
    downMs: Math.round(upAt - downAt),
    firstDeliveryAfterMs: Math.round(firstAt - upAt),
    drainMs: Math.round(drainMs),
    eventsPerSecond: drainMs > 0 ? round((1000 * events) / drainMs, 1) : 0,
    timeToDrainMs: Math.round(lastAt - upAt),
  }
  progress(`burst: first delivery ${result.firstDeliveryAfterMs} ms after the receiver came back, all ${events} ${result.drainMs} ms later (${result.eventsPerSecond}/s)`)
  return result
}

/**
 * The receiving end: answers every POST with 204 once its body is in, and
 * counts it, by event type (read from the first bytes of the body, which
 * start with the id and the type). It can go down (the port refuses
 * connections) and come back on the same port.
 */
class Receiver {
  count = 0
  /** performance.now() of the last delivery. */
  lastAt = 0
  /** The first delivery since the last `up()`. */
  firstSinceUp: number | undefined
  readonly byType = new Map<string, number>()
  private readonly server: Server
  private port = 0
  private readonly waiting: { count: number; resolve: (at: number) => void }[] = []

  constructor() {
    this.server = createServer((request, response) => {
      let head = ''
      request.on('data', (chunk: Buffer) => {
        if (head.length < 160) head += chunk.toString('latin1', 0, 160)
      })
      request.on('end', () => {
        response.writeHead(204).end()
        this.heard(/"type":"([^"]+)"/.exec(head)?.[1] ?? 'unknown')
      })
    })
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/hook`
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject)
      this.server.listen(this.port, '127.0.0.1', () => {
        this.server.off('error', reject)
        resolve()
      })
    })
    this.port = (this.server.address() as AddressInfo).port
  }

  /** Refuses connections from now on, the open ones cut. */
  async down(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()))
    this.server.closeAllConnections()
    await closed
  }

  async up(): Promise<void> {
    this.firstSinceUp = undefined
    await this.listen()
  }

  async close(): Promise<void> {
    if (this.server.listening) await this.down()
  }

  /** Resolves with the time of the delivery that brought the count to `count`. */
  reached(count: number, timeoutMs: number): Promise<number> {
    if (this.count >= count) return Promise.resolve(this.lastAt)
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the receiver got ${this.count} of ${count} deliveries within ${timeoutMs} ms`)), timeoutMs)
      this.waiting.push({
        count,
        resolve: (at) => {
          clearTimeout(timer)
          resolve(at)
        },
      })
    })
  }

  /** Resolves once nothing has arrived for `ms` (counting from now at the earliest). */
  async quiet(ms: number, timeoutMs = 120_000): Promise<void> {
    const from = performance.now()
    for (;;) {
      const now = performance.now()
      const silentFor = now - Math.max(this.lastAt, from)
      if (silentFor >= ms) return
      if (now - from > timeoutMs) throw new Error(`the receiver kept getting deliveries for ${timeoutMs} ms`)
      await sleep(ms - silentFor)
    }
  }

  private heard(type: string): void {
    const at = performance.now()
    this.count++
    this.lastAt = at
    this.firstSinceUp ??= at
    this.byType.set(type, (this.byType.get(type) ?? 0) + 1)
    for (let i = this.waiting.length - 1; i >= 0; i--) {
      const waiter = this.waiting[i]
      if (waiter && this.count >= waiter.count) {
        this.waiting.splice(i, 1)
        waiter.resolve(at)
      }
    }
  }
}

async function call(side: Side, method: string, route: string, body?: unknown): Promise<unknown> {
  const response = await fetch(`${side.url}${route}`, {
    method,
    headers: { authorization: API_KEY, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
  const envelope = (await response.json()) as { data?: unknown; error?: string }
  if (!response.ok) throw new Error(`${method} ${route}: ${response.status} ${envelope.error ?? ''}`)
  return envelope.data
}

/** POST /webhooks for every event; returns the subscription's id. */
async function subscribe(side: Side, url: string): Promise<string> {
  const data = (await call(side, 'POST', '/webhooks', { url, events: ['*'] })) as { id: string }
  return data.id
}

/** Deliveries the subscription is owed (GET /webhooks/:id). */
async function pending(side: Side, subscription: string): Promise<number> {
  return ((await call(side, 'GET', `/webhooks/${subscription}`)) as { pending: number }).pending
}

/** Nothing owed and the receiver quiet. */
async function drained(side: Side, subscription: string, receiver: Receiver): Promise<void> {
  await until(async () => (await pending(side, subscription)) === 0, 'every event to be delivered', 300_000)
  await receiver.quiet(QUIET_MS)
}

async function until(check: () => Promise<boolean>, what: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await sleep(100)
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

function bot(side: Side): BotProcess {
  if (!side.bot) throw new Error('the runtime is not running')
  return side.bot
}

const times = (x: number) => `× ${x}`
const signed = (x: number) => `${x >= 0 ? '+' : '−'}${Math.abs(x)}`

export function webhooksTable(results: WebhooksResults): string {
  const { chat, steady, burst } = results
  const range = ([low, high]: [number, number]) => `${low}–${high}`
  return [
    `| chat, ${results.options.contacts} contacts at once | subscription to \`*\` | no subscription | ratio |`,
    '|---|---:|---:|---:|',
    `| !ping round trips/s | ${chat.webhooks.perSecond} | ${chat.none.perSecond} | ${times(chat.throughputRatio)} (rounds ${range(chat.throughputRatioRange)}) |`,
    `| p50 latency (ms) | ${chat.webhooks.p50Ms} | ${chat.none.p50Ms} | ${signed(chat.p50OverheadMs)} ms |`,
    `| p99 latency (ms) | ${chat.webhooks.p99Ms} | ${chat.none.p99Ms} | ${signed(chat.p99OverheadMs)} ms |`,
    `| bot CPU per round trip (µs) | ${chat.webhooks.botCpuMicrosPerOp} | ${chat.none.botCpuMicrosPerOp} | ${times(chat.cpuRatio)} (rounds ${range(chat.cpuRatioRange)}) |`,
    '',
    `${chat.eventsPerRoundTrip} events delivered per round trip (${chat.eventsDelivered} in all, ${chat.pendingAfter} owed after the rounds): about ${chat.botCpuMicrosPerEvent} µs of bot CPU per delivered event.`,
    '',
    '| deliveries to a local receiver | events | events/s | |',
    '|---|---:|---:|---|',
    `| steady: ${steady.contacts} contacts, a text and a !ping each in turn, ${steady.seconds} s | ${steady.delivered} | ${steady.eventsPerSecond} | ${steady.deliveredPerSecondDuringLoad}/s during the load, ${steady.backlogAtEnd} owed at its end, last one ${steady.catchUpMs} ms after |`,
    `| burst: sent while the receiver was down, drained when it came back | ${burst.events} | ${burst.eventsPerSecond} | first ${burst.firstDeliveryAfterMs} ms after it came back (retry backoff), all in ${burst.timeToDrainMs} ms |`,
    '',
    `Steady events by type: ${Object.entries(steady.byType).map(([type, n]) => `${type} ${n}`).join(', ')}. The burst took ${burst.sendMs} ms to send (${burst.pendingWhileDown} events owed while the receiver was down for ${burst.downMs} ms).`,
  ].join('\n')
}

export function writeWebhooksResults(results: WebhooksResults, out: string): void {
  writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`)
}
