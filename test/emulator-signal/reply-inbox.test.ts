import { test } from 'node:test'
import assert from 'node:assert/strict'
import { ReplyInbox } from '../../emulator/signal/reply-inbox.js'
import type { BotMessage } from '../../emulator/signal/bot-message.js'

function msg(id: string, chat: string, quotedId?: string): BotMessage {
  return { kind: 'text', id, bot: '15550001111@s.whatsapp.net', chat, to: chat, text: id, mentions: [], readBy: [], devices: [], raw: {}, ...(quotedId ? { quotedId } : {}) }
}

void test('each message is taken once, in order, by the first matching reader', async () => {
  const inbox = new ReplyInbox()
  inbox.push(msg('a', 'x'))
  inbox.push(msg('b', 'y'))
  inbox.push(msg('c', 'x'))
  assert.equal((await inbox.next((m) => m.chat === 'x', 10, '')).id, 'a')
  assert.equal((await inbox.next(() => true, 10, '')).id, 'b')
  assert.equal((await inbox.next(() => true, 10, '')).id, 'c')
  assert.equal(inbox.received.length, 3)
})

void test('a waiter registered before the message arrives gets it', async () => {
  const inbox = new ReplyInbox()
  const waiting = inbox.next((m) => m.quotedId === 'q', 500, 'quoting q')
  inbox.push(msg('other', 'x'))
  inbox.push(msg('answer', 'x', 'q'))
  assert.equal((await waiting).id, 'answer')
  assert.equal((await inbox.next(() => true, 10, '')).id, 'other')
})

void test('timeouts explain what did arrive, and close() rejects waiters', async () => {
  const inbox = new ReplyInbox()
  inbox.push(msg('stray', 'elsewhere'))
  inbox.fail('pkmsg to 1@lid: Bad MAC')
  await assert.rejects(inbox.next((m) => m.chat === 'here', 20, 'in here'), /no bot message in here within 20 ms.*elsewhere "stray".*Bad MAC/)
  const pending = inbox.next(() => false, 5000, 'never')
  inbox.close()
  await assert.rejects(pending, /emulator stopped/)
})

void test('a message the bot sends again under the same id is shown once, as a phone shows it', async () => {
  const inbox = new ReplyInbox()
  inbox.push(msg('once', 'x', 'q'))
  inbox.push(msg('once', 'x', 'q'))
  assert.equal((await inbox.next((m) => m.quotedId === 'q', 10, '')).id, 'once')
  await assert.rejects(inbox.next((m) => m.quotedId === 'q', 10, 'quoting q'), /no bot message quoting q/)
  assert.equal(inbox.received.length, 1)
})
