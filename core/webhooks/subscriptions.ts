import { createHash, randomBytes } from 'node:crypto'
import { conflict, notFound } from '../errors.js'
import type { PluginStore } from '../storage/plugin-store.js'
import { wants } from './event-filter.js'

export interface Subscription {
  id: string
  url: string
  /** Event types or patterns (`message.*`, `*`). */
  events: string[]
  /** Only this session's events; null: every session's. */
  session: string | null
  /** The Standard Webhooks signing secret (`whsec_…`); never shown after it was made. */
  secret: string
  state: 'active' | 'paused'
  /** Why it was paused, for the operator. */
  paused_reason: string | null
  created_at: string
  /** Set in the configuration (changed there, not over HTTP), or made over HTTP. */
  source: 'config' | 'api'
}

/** What anyone may see of a subscription: all but the secret. */
export type SubscriptionView = Omit<Subscription, 'secret'>

export interface ConfiguredSubscription {
  url: string
  events: string[]
  session?: string | null
  secret: string
}

export const newSecret = (): string => `whsec_${randomBytes(32).toString('base64')}`
export const viewOf = ({ secret: _secret, ...view }: Subscription): SubscriptionView => view

/**
 * The webhook subscriptions, from the configuration and made over HTTP, in
 * the runtime's store: after a restart nothing has to be set up again, and
 * a paused one stays paused until someone resumes it.
 */
export class Subscriptions {
  constructor(private readonly store: () => PluginStore) {}

  /** Brings the configured ones in, under ids that stay the same across restarts, keeping their state. */
  async configure(configured: readonly ConfiguredSubscription[]): Promise<void> {
    const store = this.store()
    const ids = new Set<string>()
    for (const entry of configured) {
      const id = `cfg_${createHash('sha256').update(`${entry.url}\n${[...entry.events].sort().join(',')}\n${entry.session ?? ''}`).digest('hex').slice(0, 16)}`
      ids.add(id)
      const before = store.get<Subscription>(id)
      await store.set(id, {
        id,
        url: entry.url,
        events: entry.events,
        session: entry.session ?? null,
        secret: entry.secret,
        state: before?.state ?? 'active',
        paused_reason: before?.paused_reason ?? null,
        created_at: before?.created_at ?? new Date().toISOString(),
        source: 'config',
      } satisfies Subscription)
    }
    // One taken out of the configuration is gone.
    for (const subscription of this.list()) if (subscription.source === 'config' && !ids.has(subscription.id)) await store.delete(subscription.id)
  }

  list(): Subscription[] {
    const store = this.store()
    return store
      .keys()
      .flatMap((id) => store.get<Subscription>(id) ?? [])
      .sort((a, b) => a.created_at.localeCompare(b.created_at))
  }

  get(id: string): Subscription | undefined {
    return this.store().get<Subscription>(id)
  }

  require(id: string, session?: string): Subscription {
    const subscription = this.get(id)
    if (!subscription || (session !== undefined && subscription.session !== session)) {
      throw notFound(`There is no webhook '${id}'${session ? ` for session '${session}'` : ''}; GET ${session ? `/sessions/${session}` : ''}/webhooks lists them`)
    }
    return subscription
  }

  /** Those an event of this type from this session goes to (paused ones too: their deliveries wait). */
  matching(type: string, session: string): Subscription[] {
    return this.list().filter((s) => (s.session === null || s.session === session) && wants(s.events, type))
  }

  async create(spec: { url: string; events: string[]; session: string | null; secret?: string }): Promise<Subscription> {
    const subscription: Subscription = {
      id: `wh_${randomBytes(8).toString('hex')}`,
      url: spec.url,
      events: spec.events,
      session: spec.session,
      secret: spec.secret ?? newSecret(),
      state: 'active',
      paused_reason: null,
      created_at: new Date().toISOString(),
      source: 'api',
    }
    await this.store().set(subscription.id, subscription)
    return subscription
  }

  async remove(id: string): Promise<void> {
    const subscription = this.require(id)
    if (subscription.source === 'config') throw conflict(`Webhook '${id}' is set in the configuration (webhooks.subscriptions); remove it there`)
    await this.store().delete(id)
  }

  async setState(id: string, state: Subscription['state'], reason: string | null): Promise<Subscription> {
    return this.store().update<Subscription>(id, (current) => {
      if (!current) throw notFound(`There is no webhook '${id}'`)
      return { ...current, state, paused_reason: reason }
    })
  }
}
