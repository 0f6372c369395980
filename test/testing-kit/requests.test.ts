import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { defineAction, definePlugin, notFound } from 'waplug'
import { startTestBot } from 'waplug/testing'

const notes = new Map<string, string>()

const saveNote = defineAction<{ id: string; text: string }, { id: string; text: string }>({
  name: 'save',
  summary: 'Save a note',
  input: {
    type: 'object',
    additionalProperties: false,
    required: ['id', 'text'],
    properties: { id: { type: 'string' }, text: { type: 'string', title: 'Text', notBlank: true } },
  },
  needsWhatsApp: false,
  http: { method: 'PUT', path: '/notes/:id' },
  successMessage: 'Note saved',
  failureMessage: 'Failed to save the note',
  handler: ({ id, text }) => {
    notes.set(id, text)
    return { id, text }
  },
})

const readNote = defineAction<{ id: string }, { id: string; text: string }>({
  name: 'read',
  summary: 'Read a note',
  input: { type: 'object', required: ['id'], properties: { id: { type: 'string' } } },
  needsWhatsApp: false,
  http: { method: 'GET', path: '/notes/:id' },
  chat: { command: 'note', args: ['id'] },
  successMessage: 'Note found',
  failureMessage: 'Failed to read the note',
  handler: ({ id }) => {
    const text = notes.get(id)
    if (text === undefined) throw notFound(`No note ${id}`)
    return { id, text }
  },
  reply: ({ text }) => text,
})

const notesPlugin = definePlugin({
  name: 'notes',
  version: '1.0.0',
  setup(plugin) {
    plugin.action(saveNote)
    plugin.action(readNote)
  },
})

describe('waplug/testing: HTTP requests', () => {
  it('sends JSON with the kit’s API key and returns the status and the envelope', async (t) => {
    const bot = await startTestBot(t, { plugins: [notesPlugin] })
    const saved = await bot.request('PUT', '/notes/n1', { text: 'milk' })
    assert.equal(saved.status, 200)
    assert.deepEqual(saved.envelope, { status: true, code: 200, message: 'Note saved', data: { id: 'n1', text: 'milk' } })
    assert.ok(saved.headers.get('x-request-id'))
    assert.deepEqual(await bot.say('!note n1'), ['milk'])

    const read = await bot.request<{ text: string }>('GET', '/notes/n1')
    assert.ok(read.envelope.status)
    assert.equal(read.envelope.data.text, 'milk')
  })

  it('returns failures as envelopes too', async (t) => {
    const bot = await startTestBot(t, { plugins: [notesPlugin] })
    const blank = await bot.request('PUT', '/notes/n2', { text: ' ' })
    assert.deepEqual([blank.status, blank.envelope], [400, { status: false, code: 400, message: 'Bad request', error: 'Text is required' }])
    const missing = await bot.request('GET', '/notes/none')
    assert.deepEqual([missing.status, missing.envelope], [404, { status: false, code: 404, message: 'Not found', error: 'No note none' }])
    const stranger = await bot.request('GET', '/notes/n1', undefined, { headers: { Authorization: 'not-a-key-of-this-bot' } })
    assert.equal(stranger.status, 401)
    assert.equal(typeof bot.apiKey, 'string')
    assert.match(bot.url, /^http:\/\/127\.0\.0\.1:\d+$/)
  })
})
