// `npm run bench -- [options]`: every knob of the run, with defaults that
// finish in two to three minutes on two idle cores, and `--quick` for a smoke run.
import { parseArgs } from 'node:util'

export interface BenchOptions {
  /** Simulated contacts sending `!ping` at the same time (chat concurrency). */
  contacts: number
  /** Chat round trips per side, over all rounds; memory is read again after them. */
  commands: number
  /** One-at-a-time requests per side for each at-rest measure (chat, POST, GET): latency with nothing queued. */
  rest: number
  /** Round trips per contact before measuring (new Signal sessions, JIT). */
  warmup: number
  /** With --soak: groups the contacts also send `!ping` in (each contact is in one). */
  groups: number
  /** Interleaved rounds: each side runs `commands / rounds` per round, the order alternating. */
  rounds: number
  /** HTTP connections kept busy by the load generator. */
  connections: number
  /** Seconds of HTTP load per endpoint, per side, per round (whole seconds). */
  duration: number
  /** Seconds of HTTP load per endpoint and side before measuring. */
  httpWarmup: number
  /** Restarts of each bot whose start-up is timed; 0 times the first start, pairing included. */
  starts: number
  /** Write a CPU profile of each bot process into this directory. */
  profile: string | undefined
  out: string
  /** Also print the table as Markdown, for docs/benchmarks.md. */
  markdown: boolean
  quick: boolean
  /** A/A run: the raw baseline on both sides, so the ratios show the harness's own noise floor. */
  aa: boolean
  /** Also the runtime on LMDB behind Baileys' key cache, against plain LMDB. */
  stores: boolean
  /** Also the peers, installed on demand in bench/peers: a peer framework's bot (BuilderBot), and the raw bot on Baileys as published. */
  peers: boolean
  /** Instead of the comparison: this many commands over many contacts and groups, recording each bot's heap (bench/soak.ts); 0: no soak. */
  soak: number
  /** With --soak: write a heap snapshot of each bot at the start and end of the soak into this directory. */
  snapshots: string | undefined
  /** Instead of the comparison: memory per session and start-up with many sessions (bench/sessions.ts). */
  sessions: boolean
  /** The most sessions `--sessions` pairs. */
  max: number
  /** Instead of the comparison: webhook delivery rates and what a subscription costs the chat (bench/webhooks.ts). */
  webhooks: boolean
  /** Messages `--webhooks` has contacts send while its receiver is down, each one event delivered when it is back. */
  burst: number
}

const DEFAULTS: Omit<BenchOptions, 'quick' | 'markdown' | 'profile' | 'aa' | 'stores' | 'peers' | 'soak' | 'snapshots' | 'sessions' | 'webhooks'> = {
  contacts: 4,
  commands: 1500,
  rest: 300,
  warmup: 5,
  rounds: 6,
  connections: 10,
  duration: 2,
  httpWarmup: 3,
  starts: 3,
  max: 100,
  burst: 1000,
  groups: 0,
  out: 'bench/results.json',
}

// With --webhooks, `duration` is the seconds of chat load whose events are delivered.
const WEBHOOKS: Partial<BenchOptions> = { duration: 10, out: 'bench/webhooks-results.json' }

// A soak spreads its commands over many chats (the bot keeps something per chat and person) and reads the heap often.
// Groups are opt-in (--groups N): at many contacts the emulator has lost a bot's group reply now and then, ending the run.
const SOAK: Partial<BenchOptions> = { contacts: 40, groups: 0, rounds: 20 }

// Small enough for a smoke run (and the test that keeps the bench from rotting).
const QUICK: Partial<BenchOptions> = { contacts: 2, commands: 40, rest: 10, warmup: 2, rounds: 2, connections: 4, duration: 1, httpWarmup: 0, starts: 1, max: 3, burst: 40 }

export const USAGE = `npm run bench -- [--quick] [--markdown] [--aa | --stores] [--peers] [--contacts N] [--commands N] [--rest N] [--rounds N]
  [--connections N] [--duration S] [--starts N] [--warmup N] [--http-warmup S] [--profile DIR] [--out FILE]
npm run bench -- --sessions [--max N] [--out FILE]
npm run bench -- --soak N [--contacts N] [--groups N] [--rounds N] [--snapshots DIR] [--out FILE]
npm run bench -- --webhooks [--quick] [--contacts N] [--commands N] [--rounds N] [--warmup N] [--duration S] [--burst N] [--out FILE]`

export function parseOptions(argv: string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      quick: { type: 'boolean', default: false },
      aa: { type: 'boolean', default: false },
      stores: { type: 'boolean', default: false },
      peers: { type: 'boolean', default: false },
      soak: { type: 'string' },
      groups: { type: 'string' },
      snapshots: { type: 'string' },
      sessions: { type: 'boolean', default: false },
      max: { type: 'string' },
      webhooks: { type: 'boolean', default: false },
      burst: { type: 'string' },
      markdown: { type: 'boolean', default: false },
      contacts: { type: 'string' },
      commands: { type: 'string' },
      rest: { type: 'string' },
      warmup: { type: 'string' },
      rounds: { type: 'string' },
      connections: { type: 'string' },
      duration: { type: 'string' },
      'http-warmup': { type: 'string' },
      starts: { type: 'string' },
      profile: { type: 'string' },
      out: { type: 'string' },
    },
  })
  // An A/A run has no runtime to put on another store.
  if (values.aa && values.stores) throw new Error('--aa and --stores do not go together')
  if (values.webhooks && (values.sessions || values.aa || values.stores)) throw new Error('--webhooks is a run of its own: no --sessions, --aa or --stores with it')
  if (values.peers && (values.aa || values.sessions || values.webhooks)) throw new Error('--peers adds a row to the comparison: no --aa, --sessions or --webhooks with it')
  if (values.soak !== undefined && (values.sessions || values.webhooks || values.aa || values.stores || values.peers)) {
    throw new Error('--soak is a run of its own: no --sessions, --webhooks, --aa, --stores or --peers with it')
  }
  if (values.groups !== undefined && values.soak === undefined) throw new Error('--groups goes with --soak')
  const base = { ...DEFAULTS, ...(values.webhooks ? WEBHOOKS : {}), ...(values.soak !== undefined ? SOAK : {}), ...(values.quick ? QUICK : {}) }
  const number = (name: keyof typeof values, fallback: number, min: number): number => {
    const raw = values[name]
    if (raw === undefined) return fallback
    const n = Number(raw)
    if (!Number.isFinite(n) || n < min) throw new Error(`--${name} must be a number of at least ${min}, not '${String(raw)}'`)
    return n
  }
  return {
    contacts: number('contacts', base.contacts, 1),
    commands: number('commands', base.commands, 1),
    rest: number('rest', base.rest, 1),
    warmup: number('warmup', base.warmup, 0),
    rounds: number('rounds', base.rounds, 1),
    connections: number('connections', base.connections, 1),
    // autocannon stops on a one-second tick, so shorter runs last a second anyway.
    duration: number('duration', base.duration, 1),
    httpWarmup: number('http-warmup', base.httpWarmup, 0),
    starts: number('starts', base.starts, 0),
    profile: values.profile,
    max: number('max', base.max, 1),
    burst: number('burst', base.burst, 1),
    out: values.out ?? (values.sessions ? 'bench/sessions-results.json' : values.soak !== undefined ? 'bench/soak-results.json' : base.out),
    markdown: values.markdown,
    quick: values.quick,
    aa: values.aa,
    stores: values.stores,
    peers: values.peers,
    soak: values.soak === undefined ? 0 : number('soak', 0, 1),
    groups: number('groups', base.groups, 0),
    snapshots: values.snapshots,
    sessions: values.sessions,
    webhooks: values.webhooks,
  }
}
