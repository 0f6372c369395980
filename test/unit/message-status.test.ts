import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { proto } from '@whiskeysockets/baileys'
import { statusOfReceipt, statusOfUpdate, StatusSteps } from '../../core/whatsapp/message-status.js'
import type { MessageStatus } from '../../core/index.js'

const { Status } = proto.WebMessageInfo
const ALICE_LID = '204800000002@lid'
const GROUP = '120363000000000001@g.us'
const ME = { jid: '15550000001@s.whatsapp.net', lid: '900000001@lid' }

describe('statuses of sent messages from Baileys events', () => {
  it('messages.update: each receipt status of a message the bot sent', () => {
    const key = { remoteJid: ALICE_LID, fromMe: true, id: 'SENT1' }
    const steps: [number, MessageStatus['status']][] = [
      [Status.SERVER_ACK, 'sent'],
      [Status.DELIVERY_ACK, 'delivered'],
      [Status.READ, 'read'],
      [Status.PLAYED, 'played'],
      [Status.ERROR, 'failed'],
    ]
    for (const [status, expected] of steps) {
      assert.deepEqual(statusOfUpdate({ key, update: { status, messageTimestamp: 1_700_000_100 } }), { id: 'SENT1', chat: ALICE_LID, status: expected, timestamp: 1_700_000_100 })
    }
  })

  it('messages.update: a refusal without a time is timed now', () => {
    const before = Math.floor(Date.now() / 1000)
    const status = statusOfUpdate({ key: { remoteJid: ALICE_LID, fromMe: true, id: 'SENT1' }, update: { status: Status.ERROR, messageStubParameters: ['479'] } })
    assert.equal(status?.status, 'failed')
    assert.ok((status?.timestamp ?? 0) >= before)
  })

  it('messages.update: nothing for messages others sent, pending ones, or updates that are no status', () => {
    assert.equal(statusOfUpdate({ key: { remoteJid: ALICE_LID, fromMe: false, id: 'THEIRS' }, update: { status: Status.READ } }), undefined)
    assert.equal(statusOfUpdate({ key: { remoteJid: ALICE_LID, fromMe: true, id: 'SENT1' }, update: { status: Status.PENDING } }), undefined)
    assert.equal(statusOfUpdate({ key: { remoteJid: ALICE_LID, fromMe: true, id: 'SENT1' }, update: { message: { conversation: 'edited' } } }), undefined)
    assert.equal(statusOfUpdate({ key: { remoteJid: ALICE_LID, fromMe: true }, update: { status: Status.READ } }), undefined)
  })

  it('message-receipt.update: a group member got it, then read it', () => {
    const key = { remoteJid: GROUP, fromMe: true, id: 'SENT2', participant: ALICE_LID }
    assert.deepEqual(statusOfReceipt({ key, receipt: { userJid: ALICE_LID, receiptTimestamp: 1_700_000_200 } }, ME), {
      id: 'SENT2',
      chat: GROUP,
      recipient: ALICE_LID,
      status: 'delivered',
      timestamp: 1_700_000_200,
    })
    assert.deepEqual(statusOfReceipt({ key, receipt: { userJid: ALICE_LID, readTimestamp: 1_700_000_300 } }, ME), {
      id: 'SENT2',
      chat: GROUP,
      recipient: ALICE_LID,
      status: 'read',
      timestamp: 1_700_000_300,
    })
  })

  it('message-receipt.update: not the bot own devices, not others messages', () => {
    const key = { remoteJid: GROUP, fromMe: true, id: 'SENT2' }
    assert.equal(statusOfReceipt({ key, receipt: { userJid: '900000001:2@lid', readTimestamp: 1 } }, ME), undefined)
    assert.equal(statusOfReceipt({ key, receipt: { userJid: '15550000001:0@s.whatsapp.net', readTimestamp: 1 } }, ME), undefined)
    assert.equal(statusOfReceipt({ key: { ...key, fromMe: false }, receipt: { userJid: ALICE_LID, readTimestamp: 1 } }, ME), undefined)
    assert.equal(statusOfReceipt({ key, receipt: { userJid: ALICE_LID } }, ME), undefined)
  })
})

describe('StatusSteps', () => {
  const status = (id: string, step: MessageStatus['status'], recipient?: string): MessageStatus => ({ id, chat: GROUP, status: step, timestamp: 1, ...(recipient ? { recipient } : {}) })

  it('lets each step through once, never one behind a later step, per group member', () => {
    const steps = new StatusSteps(100)
    assert.equal(steps.advances(status('A', 'sent')), true)
    assert.equal(steps.advances(status('A', 'sent')), false)
    assert.equal(steps.advances(status('A', 'read')), true)
    assert.equal(steps.advances(status('A', 'delivered')), false)
    assert.equal(steps.advances(status('A', 'delivered', 'x@lid')), true)
    assert.equal(steps.advances(status('A', 'delivered', 'y@lid')), true)
    assert.equal(steps.advances(status('A', 'delivered', 'x@lid')), false)
    assert.equal(steps.advances(status('B', 'failed')), true)
  })

  it('forgets the oldest messages beyond what it remembers', () => {
    const steps = new StatusSteps(2)
    steps.advances(status('A', 'sent'))
    steps.advances(status('B', 'sent'))
    steps.advances(status('C', 'sent'))
    assert.equal(steps.advances(status('A', 'sent')), true, 'A was forgotten')
    assert.equal(steps.advances(status('C', 'sent')), false)
  })
})
