import { mediaRefOf, type IncomingMessage, type MediaRef, type MessageKind, type MessageRef, type PluginStore } from 'waplug'

/** What is kept of a received message: enough to quote, react to, mark read and download its media. */
export interface RecentMessage {
  id: string
  /** As WhatsApp named it: a private chat may be named by the person's lid. */
  chat: string
  /** A private chat by the person's phone jid where known, as callers name it. */
  peer?: string
  sender: string
  kind: MessageKind
  timestamp: number
  /** Set for media messages: the file's location and keys, not the file. */
  media?: MediaRef
  read?: boolean
  /** When the bot took it in (ms): the age `keepHours` counts from. */
  storedAt?: number
}

export interface Retention {
  /** Messages older than this are forgotten. */
  keepHours: number
  /** Per session; the oldest go first. */
  keepCount: number
}

const PRUNE_EVERY = 50

const messageKey = (id: string) => `msg:${id}`
/** Ordered by arrival, for forgetting the oldest first. */
const arrivalKey = (at: number, id: string) => `at:${String(at).padStart(15, '0')}:${id}`

/**
 * The messages a session received lately, in the plugin's store (one part
 * per session), bounded by age and count: what lets `GET /messages/:id/media`
 * find a message by id after a restart, and `read`, `reaction` and replies
 * name a message by id alone.
 */
export class RecentMessages {
  private writes = 0

  constructor(
    private readonly store: PluginStore,
    private readonly retention: Retention,
  ) {}

  async remember(session: string, message: IncomingMessage): Promise<void> {
    const store = this.store.forSession(session)
    const media = mediaRefOf(message)
    const peer = message.isGroup || message.sender === message.chat ? {} : { peer: message.sender }
    const record: RecentMessage = { id: message.id, chat: message.chat, ...peer, sender: message.sender, kind: message.kind, timestamp: message.timestamp, storedAt: Date.now(), ...(media ? { media } : {}) }
    await store.set(messageKey(message.id), record)
    await store.set(arrivalKey(Date.now(), message.id), message.id)
    if (++this.writes % PRUNE_EVERY === 0) await this.prune(session)
  }

  /** A message received lately; one past `keepHours` is forgotten even before the next pruning gets to it. */
  find(session: string, id: string): RecentMessage | undefined {
    const found = this.store.forSession(session).get<RecentMessage>(messageKey(id))
    return found && this.fresh(found) ? found : undefined
  }

  private fresh(message: RecentMessage): boolean {
    return (message.storedAt ?? 0) >= Date.now() - this.retention.keepHours * 3600_000
  }

  /** A message named by id, as WhatsApp needs it: who wrote it, when it is someone else's. */
  ref(session: string, chat: string, id: string): MessageRef {
    const found = this.find(session, id)
    return found && inChat(found, chat) ? { id, fromMe: false, sender: found.sender } : { id }
  }

  /** Received messages in a chat not yet marked read, oldest first. */
  unread(session: string, chat: string): RecentMessage[] {
    const store = this.store.forSession(session)
    return store
      .keys({ prefix: 'msg:' })
      .map((key) => store.get<RecentMessage>(key))
      .filter((m): m is RecentMessage => m !== undefined && inChat(m, chat) && !m.read && this.fresh(m))
      .sort((a, b) => a.timestamp - b.timestamp)
  }

  async markedRead(session: string, ids: string[]): Promise<void> {
    const store = this.store.forSession(session)
    for (const id of ids) {
      const found = store.get<RecentMessage>(messageKey(id))
      if (found) await store.set(messageKey(id), { ...found, read: true })
    }
  }

  /** Forgets messages past their age, then the oldest past the count. */
  async prune(session: string): Promise<void> {
    const store = this.store.forSession(session)
    const arrivals = store.keys({ prefix: 'at:' })
    const oldest = Date.now() - this.retention.keepHours * 3600_000
    const over = arrivals.length - this.retention.keepCount
    for (const [index, key] of arrivals.entries()) {
      const at = Number(key.split(':')[1])
      if (index >= over && at >= oldest) break
      const id = store.get<string>(key)
      await store.delete(key)
      if (id) await store.delete(messageKey(id))
    }
  }

  /** How long a message stays findable, in words for errors. */
  describe(): string {
    return `the last ${this.retention.keepCount} messages received in the last ${this.retention.keepHours} hours`
  }
}

const inChat = (message: RecentMessage, chat: string): boolean => message.chat === chat || message.peer === chat
