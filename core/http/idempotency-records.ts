import { createHash, randomUUID } from 'node:crypto'
import type { PluginStore } from '../storage/plugin-store.js'

/** How long a key's first answer is kept for retries. */
export const KEPT_FOR_MS = 24 * 60 * 60 * 1000
/** Expired records are swept at most this often, by the first keyed request after it. */
const PRUNE_EVERY_MS = 60 * 60 * 1000

export interface StoredResponse {
  status: number
  headers: Record<string, string>
  body: unknown
}

interface IdempotencyRecord {
  state: 'running' | 'done'
  /** Which run wrote it: two requests racing for one key can tell whose claim won. */
  attempt: string
  /** A hash of the method, path and body: the same key must come with the same request. */
  fingerprint: string
  /** `POST /groups`, for telling a caller which request the key belongs to. */
  route: string
  expiresAt: number
  response?: StoredResponse
}

export type Claim =
  | { kind: 'run'; id: string; record: IdempotencyRecord }
  | { kind: 'replay'; response: StoredResponse }
  | { kind: 'mismatch'; route: string }
  | { kind: 'in-flight' }
  /** Claimed by a run that never finished (the runtime stopped during it): its outcome is unknown. */
  | { kind: 'interrupted'; route: string }

const hash = (text: string): string => createHash('sha256').update(text).digest('hex')

/**
 * The first answer to each (caller, Idempotency-Key), kept durably for a day.
 * A key is claimed in one transaction before the request runs, so two
 * requests with the same key never both run; the answer is written before it
 * is sent.
 */
export class IdempotencyRecords {
  /** Keys claimed by runs still going in this process; a "running" record not here was cut off by a stop. */
  private readonly running = new Set<string>()
  /** Keys whose claim transaction is under way in this process, and how many. */
  private readonly claiming = new Map<string, number>()
  private prunedAt = 0
  private pruning: Promise<void> | undefined

  constructor(
    /** Opened on first use, so a runtime that never sees a key creates no store. */
    private readonly store: () => PluginStore,
    private readonly onPruneError: (error: unknown) => void,
    private readonly now: () => number = Date.now,
  ) {}

  async claim(caller: string, key: string, request: { fingerprint: string; route: string }): Promise<Claim> {
    this.pruneNowAndThen()
    const store = this.store()
    // The client's key is hashed so any text up to the length limit makes a store key of one size.
    const id = `${caller}:${hash(key)}`
    const fresh: IdempotencyRecord = { state: 'running', attempt: randomUUID(), fingerprint: request.fingerprint, route: request.route, expiresAt: this.now() + KEPT_FOR_MS }
    // Counted before the transaction: a second request whose claim commits first must
    // still see that this one is running here, not mistake it for a run a stop cut off.
    this.claiming.set(id, (this.claiming.get(id) ?? 0) + 1)
    let record: IdempotencyRecord
    try {
      record = this.live(store.get<IdempotencyRecord>(id)) ?? (await store.update<IdempotencyRecord>(id, (current) => this.live(current) ?? fresh))
    } finally {
      const left = (this.claiming.get(id) ?? 1) - 1
      if (left > 0) this.claiming.set(id, left)
      else this.claiming.delete(id)
    }
    if (record.attempt === fresh.attempt) {
      this.running.add(id)
      return { kind: 'run', id, record }
    }
    if (record.fingerprint !== request.fingerprint) return { kind: 'mismatch', route: record.route }
    if (record.state === 'done' && record.response) return { kind: 'replay', response: record.response }
    return this.running.has(id) || this.claiming.has(id) ? { kind: 'in-flight' } : { kind: 'interrupted', route: record.route }
  }

  /** Resolves once the answer is on disk, so it may be sent. */
  async finish(claim: Extract<Claim, { kind: 'run' }>, response: StoredResponse): Promise<void> {
    try {
      await this.store().set(claim.id, { ...claim.record, state: 'done', response } satisfies IdempotencyRecord)
    } finally {
      this.running.delete(claim.id)
    }
  }

  /** Nothing was done: forget the claim, so the same key may be sent again. */
  async release(claim: Extract<Claim, { kind: 'run' }>): Promise<void> {
    try {
      await this.store().delete(claim.id)
    } finally {
      this.running.delete(claim.id)
    }
  }

  /** Deletes every expired record; resolves with how many. */
  async prune(): Promise<number> {
    const store = this.store()
    let removed = 0
    for (const id of store.keys()) {
      if (this.running.has(id) || this.live(store.get<IdempotencyRecord>(id))) continue
      if (await store.delete(id)) removed++
    }
    return removed
  }

  /** Waits for a sweep under way, so the store may close after it. */
  async close(): Promise<void> {
    await this.pruning
  }

  private pruneNowAndThen(): void {
    if (this.pruning || this.now() - this.prunedAt < PRUNE_EVERY_MS) return
    this.prunedAt = this.now()
    this.pruning = this.prune()
      .then(() => undefined, this.onPruneError)
      .finally(() => {
        this.pruning = undefined
      })
  }

  private live(record: IdempotencyRecord | undefined): IdempotencyRecord | undefined {
    return record && record.expiresAt > this.now() ? record : undefined
  }
}
