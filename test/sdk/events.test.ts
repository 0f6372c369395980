import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { pino } from 'pino'
import { defineAction, definePlugin, type ConnectionState, type GroupEvent, type IncomingMessage, type MessageStatus } from '../../core/index.js'
import { captureStream } from '../support/capture.js'
import { startHarness } from '../support/harness.js'

const GROUP = '120363000000000777@g.us'
const ALICE = '15550002222@s.whatsapp.net'

const hello = defineAction({
  name: 'hello',
  summary: 'Says hello',
  access: 'everyone',
  needsWhatsApp: false,
  input: { type: 'object', additionalProperties: false, properties: {} },
  chat: { command: 'hello' },
  http: { method: 'GET', path: '/hello' },
  successMessage: 'Hello',
  failureMessage: 'Failed to say hello',
  handler: () => ({ hello: true }),
  reply: () => 'hi',
})

describe('plugin events', () => {
  it('delivers messages that are not commands, unknown commands included, but not commands or the bot\'s own messages', async () => {
    const heard: string[] = []
    const h = await startHarness({
      builtinPlugins: false,
      plugins: [
        definePlugin({
          name: 'listener',
          version: '1.0.0',
          setup(plugin) {
            plugin.action(hello)
            plugin.on('message', (message: IncomingMessage) => void heard.push(message.text))
          },
        }),
      ],
    })
    try {
      assert.deepEqual(await h.say('good morning', { sender: ALICE }), [])
      assert.deepEqual(await h.say('!hello'), ['hi'])
      assert.deepEqual(await h.say('!nosuch thing', { sender: ALICE, chat: GROUP }), [])
      await h.say('my own words', { fromMe: true })
      assert.deepEqual(heard, ['good morning', '!nosuch thing'])
    } finally {
      await h.close()
    }
  })

  it('only a text can be a command: a caption, a reaction or a poll that starts with the prefix goes to plugins', async () => {
    const heard: Pick<IncomingMessage, 'kind' | 'text'>[] = []
    const h = await startHarness({
      builtinPlugins: false,
      plugins: [
        definePlugin({
          name: 'listener',
          version: '1.0.0',
          setup(plugin) {
            plugin.action(hello)
            plugin.on('message', (message: IncomingMessage) => void heard.push({ kind: message.kind, text: message.text }))
          },
        }),
      ],
    })
    try {
      assert.deepEqual(await h.say('!hello', { sender: ALICE, kind: 'image', media: { mimetype: 'image/jpeg' } }), [])
      assert.deepEqual(await h.say('!hello', { sender: ALICE, kind: 'poll', poll: { name: '!hello', options: ['a', 'b'], selectable: 1 } }), [])
      assert.deepEqual(await h.say('👍', { sender: ALICE, kind: 'reaction', reaction: { emoji: '👍', message_id: 'X' } }), [])
      assert.deepEqual(await h.say('!hello', { sender: ALICE }), ['hi'])
      assert.deepEqual(heard, [
        { kind: 'image', text: '!hello' },
        { kind: 'poll', text: '!hello' },
        { kind: 'reaction', text: '👍' },
      ])
    } finally {
      await h.close()
    }
  })

  it('hands plugins the statuses of what the bot sent, through their client', async () => {
    const statuses: MessageStatus[] = []
    let stop: (() => void) | undefined
    const h = await startHarness({
      builtinPlugins: false,
      plugins: [
        definePlugin({
          name: 'tracker',
          version: '1.0.0',
          setup(plugin) {
            stop = plugin.whatsapp.onMessageStatus((status) => void statuses.push(status))
          },
        }),
      ],
    })
    try {
      const delivered: MessageStatus = { id: 'SENT1', chat: ALICE, status: 'delivered', timestamp: 1_700_000_000 }
      h.whatsapp.emitStatus(delivered)
      stop?.()
      h.whatsapp.emitStatus({ ...delivered, status: 'read' })
      assert.deepEqual(statuses, [delivered])
    } finally {
      await h.close()
    }
  })

  it('delivers group events and connection changes, and stops delivering after unsubscribe', async () => {
    const groups: GroupEvent[] = []
    const states: ConnectionState[] = []
    let stopListening: (() => void) | undefined
    const h = await startHarness({
      builtinPlugins: false,
      plugins: [
        definePlugin({
          name: 'watcher',
          version: '1.0.0',
          setup(plugin) {
            plugin.on('group', (event) => void groups.push(event))
            stopListening = plugin.on('connection', (state) => void states.push(state))
          },
        }),
      ],
    })
    try {
      const joined: GroupEvent = { type: 'participants', group: GROUP, change: 'joined', participants: [{ jid: ALICE }] }
      h.whatsapp.emitGroupEvent(joined)
      h.whatsapp.setState('connecting')
      h.whatsapp.setState('open')
      await h.runtime.idle()
      assert.deepEqual(groups, [{ ...joined, session: 'default' }], 'the event carries its session')
      assert.deepEqual(states, ['connecting', 'open'])
      stopListening?.()
      h.whatsapp.setState('closed')
      assert.deepEqual(states, ['connecting', 'open'])
    } finally {
      await h.close()
    }
  })

  it('waits for async handlers in idle(), so a test needs no sleep', async () => {
    let done = false
    const h = await startHarness({
      builtinPlugins: false,
      plugins: [
        definePlugin({
          name: 'slow',
          version: '1.0.0',
          setup(plugin) {
            plugin.on('message', async () => {
              await new Promise((resolve) => setTimeout(resolve, 50))
              done = true
            })
          },
        }),
      ],
    })
    try {
      await h.say('anything')
      assert.equal(done, true)
    } finally {
      await h.close()
    }
  })

  it('a handler that throws or rejects is logged with its plugin\'s name and reaches no other plugin', async () => {
    const { stream, text } = captureStream()
    const heard: string[] = []
    const h = await startHarness({
      builtinPlugins: false,
      logger: pino({ level: 'error' }, stream),
      plugins: [
        definePlugin({
          name: 'thrower',
          version: '1.0.0',
          setup(plugin) {
            plugin.on('message', () => {
              throw new Error('sync boom')
            })
            plugin.on('group', async () => {
              await Promise.resolve()
              throw new Error('async boom')
            })
          },
        }),
        definePlugin({
          name: 'bystander',
          version: '1.0.0',
          setup(plugin) {
            plugin.action(hello)
            plugin.on('message', (message) => void heard.push(message.text))
            plugin.on('group', (event) => void heard.push(event.type))
          },
        }),
      ],
    })
    try {
      await h.say('hello there', { sender: ALICE })
      h.whatsapp.emitGroupEvent({ type: 'updated', group: GROUP, subject: 'New name' })
      await h.runtime.idle()
      assert.deepEqual(heard, ['hello there', 'updated'])
      const errors = text()
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as { plugin: string; msg: string })
      assert.deepEqual(
        errors.map((e) => [e.plugin, e.msg]),
        [
          ['thrower', "plugin 'thrower' failed handling a 'message' event: sync boom"],
          ['thrower', "plugin 'thrower' failed handling a 'group' event: async boom"],
        ],
      )
      assert.deepEqual(await h.say('!hello'), ['hi'])
      assert.equal((await h.request('GET', '/hello')).status, 200)
      assert.equal((await h.request('GET', '/health', { auth: null })).status, 200)
    } finally {
      await h.close()
    }
  })

  it('ends a plugin\'s subscriptions when it stops, and a plugin disabled in setup hears nothing', async () => {
    const heard: string[] = []
    const h = await startHarness({
      builtinPlugins: false,
      plugins: [
        definePlugin({
          name: 'quitter',
          version: '1.0.0',
          setup(plugin) {
            plugin.on('connection', (state) => void heard.push(`quitter:${state}`))
            throw new Error('cannot start')
          },
        }),
        definePlugin({
          name: 'stayer',
          version: '1.0.0',
          setup(plugin) {
            plugin.on('connection', (state) => void heard.push(`stayer:${state}`))
          },
        }),
      ],
    })
    h.whatsapp.setState('connecting')
    await h.close()
    h.whatsapp.setState('open')
    assert.deepEqual(heard, ['stayer:connecting'])
  })

  it('refuses an unknown event name in setup, naming the plugin and the events', async () => {
    const h = await startHarness({
      builtinPlugins: false,
      plugins: [
        definePlugin({
          name: 'typo',
          version: '1.0.0',
          setup(plugin) {
            ;(plugin.on as (event: string, handler: () => void) => void)('messages', () => undefined)
          },
        }),
      ],
    })
    try {
      assert.equal(h.runtime.plugins()[0]?.reason, "setup failed: plugin 'typo' subscribed to 'messages', which is not an event; use 'message', 'group' or 'connection'")
    } finally {
      await h.close()
    }
  })
})
