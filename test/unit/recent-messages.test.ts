import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { IncomingMessage, PluginStore } from '../../core/index.js'
import { RecentMessages } from '../../plugins/messages/recent-messages.js'

/** The store's contract in memory: JSON values, sorted keys, a part per session. */
class MemoryStore implements PluginStore {
  constructor(
    private readonly data = new Map<string, unknown>(),
    private readonly prefix = '',
  ) {}
  get<T>(key: string): T | undefined {
    return this.data.get(this.prefix + key) as T | undefined
  }
  has(key: string): boolean {
    return this.data.has(this.prefix + key)
  }
  keys(options: { prefix?: string } = {}): string[] {
    const start = this.prefix + (options.prefix ?? '')
    return [...this.data.keys()].filter((k) => k.startsWith(start)).sort().map((k) => k.slice(this.prefix.length))
  }
  async set(key: string, value: unknown): Promise<void> {
    this.data.set(this.prefix + key, JSON.parse(JSON.stringify(value)))
  }
  async delete(key: string): Promise<boolean> {
    return this.data.delete(this.prefix + key)
  }
  async update<T>(key: string, change: (current: T | undefined) => T): Promise<T> {
    const next = change(this.get<T>(key))
    await this.set(key, next)
    return next
  }
  forSession(session: string): PluginStore {
    return new MemoryStore(this.data, `\u0001${session}/`)
  }
}

const message = (id: string, chat = '15550002222@s.whatsapp.net'): IncomingMessage => ({
  id,
  chat,
  sender: chat,
  fromMe: false,
  kind: 'text',
  text: 'hi',
  mentions: [],
  timestamp: Math.floor(Date.now() / 1000),
  isGroup: false,
  backlog: false,
  raw: {},
})

describe('the record of recent messages', () => {
  it('forgets the oldest past keepCount, per session', async () => {
    const recent = new RecentMessages(new MemoryStore(), { keepHours: 24, keepCount: 3 })
    for (const id of ['A', 'B', 'C', 'D', 'E']) {
      await recent.remember('default', message(id))
      await new Promise((resolve) => setTimeout(resolve, 2))
    }
    await recent.remember('sales', message('S'))
    await recent.prune('default')
    assert.deepEqual(['A', 'B', 'C', 'D', 'E'].map((id) => recent.find('default', id)?.id), [undefined, undefined, 'C', 'D', 'E'])
    assert.equal(recent.find('sales', 'S')?.id, 'S', "another session's messages are its own")
    assert.equal(recent.find('sales', 'C'), undefined)
  })

  it('forgets messages past keepHours, even before pruning', async () => {
    const recent = new RecentMessages(new MemoryStore(), { keepHours: 0.0001, keepCount: 100 })
    await recent.remember('default', message('OLD'))
    assert.equal(recent.find('default', 'OLD')?.id, 'OLD')
    await new Promise((resolve) => setTimeout(resolve, 500))
    assert.equal(recent.find('default', 'OLD'), undefined)
    assert.deepEqual(recent.unread('default', '15550002222@s.whatsapp.net'), [])
  })

  it('finds a private chat by the phone jid when WhatsApp named it by lid, and reads each message once', async () => {
    const recent = new RecentMessages(new MemoryStore(), { keepHours: 24, keepCount: 100 })
    await recent.remember('default', { ...message('L1', '900000002@lid'), sender: '15550002222@s.whatsapp.net' })
    assert.deepEqual(recent.ref('default', '15550002222@s.whatsapp.net', 'L1'), { id: 'L1', fromMe: false, sender: '15550002222@s.whatsapp.net' })
    assert.deepEqual(recent.unread('default', '15550002222@s.whatsapp.net').map((m) => m.id), ['L1'])
    await recent.markedRead('default', ['L1'])
    assert.deepEqual(recent.unread('default', '15550002222@s.whatsapp.net'), [])
  })
})
