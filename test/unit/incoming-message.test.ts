import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { proto, type WAMessage } from '@whiskeysockets/baileys'
import { toIncomingMessage } from '../../core/whatsapp/incoming-message.js'

const ALICE = '15550200002@s.whatsapp.net'
const ALICE_LID = '204800000002@lid'
const GROUP = '120363000000000001@g.us'

/** A message from Alice in her 1:1 chat, as Baileys upserts it. */
function from(message: proto.IMessage, key: Partial<WAMessage['key']> = {}): WAMessage {
  return { key: { remoteJid: ALICE, fromMe: false, id: 'MSG1', ...key }, message, messageTimestamp: 1_700_000_000, pushName: 'Alice' }
}

/** The same message after a trip over the wire: what a decrypted stanza gives Baileys. */
function decoded(message: proto.IMessage): proto.IMessage {
  return proto.Message.decode(proto.Message.encode(message).finish())
}

/** The fields of the message that are not the same for every kind. */
function fields(message: WAMessage): Record<string, unknown> | undefined {
  const incoming = toIncomingMessage(message)
  if (!incoming) return undefined
  const { id: _id, chat: _chat, sender: _sender, fromMe: _fromMe, timestamp: _timestamp, isGroup: _isGroup, backlog: _backlog, pushName: _pushName, raw: _raw, mentions, ...rest } = incoming
  return mentions.length ? { ...rest, mentions } : rest
}

describe('toIncomingMessage: every kind of message', () => {
  it('text is what it was: conversation and extendedTextMessage, mentions, sender, timestamp, raw', () => {
    const raw = from({ conversation: '!ping' })
    assert.deepEqual(toIncomingMessage(raw), {
      id: 'MSG1',
      chat: ALICE,
      sender: ALICE,
      fromMe: false,
      kind: 'text',
      text: '!ping',
      mentions: [],
      timestamp: 1_700_000_000,
      isGroup: false,
      backlog: false,
      pushName: 'Alice',
      raw,
    })
    const inGroup = from(
      { extendedTextMessage: { text: '@bot hi', contextInfo: { mentionedJid: ['900000001:3@lid'] } } },
      { remoteJid: GROUP, participant: ALICE_LID, participantAlt: ALICE },
    )
    const message = toIncomingMessage(inGroup, true)
    assert.equal(message?.kind, 'text')
    assert.equal(message?.text, '@bot hi')
    assert.deepEqual(message?.mentions, ['900000001@lid'])
    assert.equal(message?.sender, ALICE)
    assert.equal(message?.isGroup, true)
    assert.equal(message?.backlog, true)
    assert.equal(message?.quoted, undefined)
    assert.deepEqual(fields(from({ conversation: '' })), { kind: 'text', text: '' })
  })

  it('a reply says which message it quotes and who wrote it', () => {
    const reply = from({ extendedTextMessage: { text: 'yes', contextInfo: { stanzaId: 'ORIGINAL', participant: '15550000001:2@s.whatsapp.net', quotedMessage: { conversation: 'ok?' } } } })
    assert.deepEqual(fields(reply), { kind: 'text', text: 'yes', quoted: { id: 'ORIGINAL', sender: '15550000001@s.whatsapp.net' } })
  })

  it('an image, with its caption and what WhatsApp tells of the file', () => {
    const image = { mimetype: 'image/jpeg', caption: 'the view', fileLength: 48_213, width: 1280, height: 960, contextInfo: { stanzaId: 'EARLIER' } }
    const expected = { kind: 'image', text: 'the view', media: { mimetype: 'image/jpeg', size: 48_213, width: 1280, height: 960 }, quoted: { id: 'EARLIER' } }
    assert.deepEqual(fields(from({ imageMessage: image })), expected)
    // Decoded, fileLength is a Long.
    assert.deepEqual(fields(from(decoded({ imageMessage: image }))), expected)
  })

  it('video, audio, a voice note, a document and a sticker', () => {
    assert.deepEqual(fields(from({ videoMessage: { mimetype: 'video/mp4', seconds: 12, width: 640, height: 360, fileLength: 1000 } })), {
      kind: 'video',
      text: '',
      media: { mimetype: 'video/mp4', size: 1000, seconds: 12, width: 640, height: 360 },
    })
    assert.deepEqual(fields(from({ audioMessage: { mimetype: 'audio/mpeg', seconds: 200, fileLength: 3_000_000 } })), {
      kind: 'audio',
      text: '',
      media: { mimetype: 'audio/mpeg', size: 3_000_000, seconds: 200 },
    })
    assert.deepEqual(fields(from({ audioMessage: { mimetype: 'audio/ogg; codecs=opus', seconds: 4, ptt: true } })), {
      kind: 'voice',
      text: '',
      media: { mimetype: 'audio/ogg; codecs=opus', seconds: 4 },
    })
    assert.deepEqual(fields(from({ documentMessage: { mimetype: 'application/pdf', fileName: 'invoice.pdf', fileLength: 5120 } })), {
      kind: 'document',
      text: '',
      media: { mimetype: 'application/pdf', size: 5120, file_name: 'invoice.pdf' },
    })
    assert.deepEqual(fields(from({ stickerMessage: { mimetype: 'image/webp', width: 512, height: 512 } })), {
      kind: 'sticker',
      text: '',
      media: { mimetype: 'image/webp', width: 512, height: 512 },
    })
  })

  it('a location, one contact card and several', () => {
    assert.deepEqual(fields(from({ locationMessage: { degreesLatitude: -6.2, degreesLongitude: 106.8166, name: 'Monas', address: 'Gambir, Jakarta' } })), {
      kind: 'location',
      text: '',
      location: { latitude: -6.2, longitude: 106.8166, name: 'Monas', address: 'Gambir, Jakarta' },
    })
    assert.deepEqual(fields(from({ liveLocationMessage: { degreesLatitude: 1.5, degreesLongitude: 2.5, caption: 'on my way' } })), {
      kind: 'location',
      text: 'on my way',
      location: { latitude: 1.5, longitude: 2.5 },
    })
    const vcard = 'BEGIN:VCARD\nVERSION:3.0\nFN:Bob\nTEL;waid=15550300003:+1 555 030 0003\nEND:VCARD'
    assert.deepEqual(fields(from({ contactMessage: { displayName: 'Bob', vcard } })), { kind: 'contact', text: '', contacts: [{ name: 'Bob', vcard }] })
    assert.deepEqual(fields(from({ contactsArrayMessage: { displayName: '2 contacts', contacts: [{ displayName: 'Bob', vcard }, { displayName: 'Carol', vcard: 'BEGIN:VCARD…' }] } })), {
      kind: 'contact',
      text: '',
      contacts: [
        { name: 'Bob', vcard },
        { name: 'Carol', vcard: 'BEGIN:VCARD…' },
      ],
    })
  })

  it('a reaction, and one taken back', () => {
    const key = { remoteJid: ALICE, fromMe: true, id: 'BOT-REPLY' }
    assert.deepEqual(fields(from({ reactionMessage: { key, text: '👍', senderTimestampMs: 1_700_000_000_000 } })), {
      kind: 'reaction',
      text: '👍',
      reaction: { emoji: '👍', message_id: 'BOT-REPLY' },
    })
    assert.deepEqual(fields(from(decoded({ reactionMessage: { key, text: '' } }))), { kind: 'reaction', text: '', reaction: { emoji: '', message_id: 'BOT-REPLY' } })
  })

  it('a poll (each version of it) and a vote in one', () => {
    const poll = { name: 'Lunch?', options: [{ optionName: 'Pizza' }, { optionName: 'Sushi' }], selectableOptionsCount: 1 }
    const expected = { kind: 'poll', text: 'Lunch?', poll: { name: 'Lunch?', options: ['Pizza', 'Sushi'], selectable: 1 } }
    assert.deepEqual(fields(from({ pollCreationMessage: poll })), expected)
    assert.deepEqual(fields(from({ pollCreationMessageV3: poll })), expected)
    assert.deepEqual(fields(from(decoded({ pollCreationMessageV2: { ...poll, selectableOptionsCount: 0 } }))), { ...expected, poll: { ...expected.poll, selectable: 0 } })
    const vote = { pollCreationMessageKey: { remoteJid: ALICE, fromMe: true, id: 'POLL' }, vote: { encPayload: new Uint8Array([1, 2]), encIv: new Uint8Array([3]) } }
    assert.deepEqual(fields(from({ pollUpdateMessage: vote })), { kind: 'poll_vote', text: '', target: { message_id: 'POLL' } })
  })

  it('an edit (as phones wrap it, or bare) and a deletion for everyone, with the message they are about', () => {
    const edit = { protocolMessage: { type: proto.Message.ProtocolMessage.Type.MESSAGE_EDIT, key: { id: 'X' }, editedMessage: { conversation: 'fixed' } } }
    for (const message of [edit, { editedMessage: { message: edit } }, { ephemeralMessage: { message: edit } }]) {
      assert.deepEqual(fields(from(message)), { kind: 'edit', text: 'fixed', target: { message_id: 'X' } })
      assert.deepEqual(fields(from(decoded(message))), { kind: 'edit', text: 'fixed', target: { message_id: 'X' } })
    }
    const caption = { protocolMessage: { type: proto.Message.ProtocolMessage.Type.MESSAGE_EDIT, key: { id: 'P' }, editedMessage: { imageMessage: { caption: 'new caption' } } } }
    assert.deepEqual(fields(from(caption)), { kind: 'edit', text: 'new caption', target: { message_id: 'P' } })
    assert.deepEqual(fields(from({ protocolMessage: { type: proto.Message.ProtocolMessage.Type.REVOKE, key: { id: 'X' } } })), { kind: 'delete', text: '', target: { message_id: 'X' } })
  })
})

describe('toIncomingMessage: wrappers come off', () => {
  it('a disappearing message, view once, and a document with a caption', () => {
    assert.deepEqual(fields(from({ ephemeralMessage: { message: { extendedTextMessage: { text: 'hello' } } } })), { kind: 'text', text: 'hello' })
    assert.deepEqual(fields(from({ viewOnceMessageV2: { message: { imageMessage: { mimetype: 'image/jpeg', caption: 'once' } } } })), {
      kind: 'image',
      text: 'once',
      media: { mimetype: 'image/jpeg' },
    })
    const doc = { documentWithCaptionMessage: { message: { documentMessage: { mimetype: 'text/csv', fileName: 'a.csv', caption: 'the numbers' } } } }
    assert.deepEqual(fields(from({ ephemeralMessage: { message: doc } })), { kind: 'document', text: 'the numbers', media: { mimetype: 'text/csv', file_name: 'a.csv' } })
  })

  it('a group message that carries the sender key beside its text is the text', () => {
    const message = decoded({
      senderKeyDistributionMessage: { groupId: GROUP, axolotlSenderKeyDistributionMessage: new Uint8Array([1, 2, 3]) },
      conversation: 'hi all',
      messageContextInfo: { deviceListMetadataVersion: 2 },
    })
    assert.deepEqual(fields(from(message, { remoteJid: GROUP, participant: ALICE })), { kind: 'text', text: 'hi all' })
  })
})

describe('toIncomingMessage: what is not a person writing is left out', () => {
  const cases: [string, proto.IMessage][] = [
    ['a sender key alone', { senderKeyDistributionMessage: { groupId: GROUP, axolotlSenderKeyDistributionMessage: new Uint8Array([1]) } }],
    ['a deletion that names no message', { protocolMessage: { type: proto.Message.ProtocolMessage.Type.REVOKE } }],
    ['a history sync', { protocolMessage: { type: proto.Message.ProtocolMessage.Type.HISTORY_SYNC_NOTIFICATION, historySyncNotification: {} } }],
    ['app state keys', { protocolMessage: { type: proto.Message.ProtocolMessage.Type.APP_STATE_SYNC_KEY_SHARE, appStateSyncKeyShare: { keys: [] } } }],
    ['an edit that names no message', { ephemeralMessage: { message: { protocolMessage: { type: proto.Message.ProtocolMessage.Type.MESSAGE_EDIT, editedMessage: { conversation: 'fixed' } } } } }],
    ['context alone', { messageContextInfo: { deviceListMetadataVersion: 2 } }],
    ['nothing', {}],
  ]
  for (const [what, message] of cases) {
    it(what, () => {
      assert.equal(toIncomingMessage(from(message)), undefined)
      assert.equal(toIncomingMessage(from(decoded(message))), undefined)
    })
  }

  it('a message without content, chat or id', () => {
    assert.equal(toIncomingMessage({ key: { remoteJid: ALICE, id: 'X' }, messageStubType: 1 }), undefined)
    assert.equal(toIncomingMessage({ key: { id: 'X' }, message: { conversation: 'hi' } }), undefined)
    assert.equal(toIncomingMessage({ key: { remoteJid: ALICE }, message: { conversation: 'hi' } }), undefined)
  })
})
