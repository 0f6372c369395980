import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { definePlugin, type IncomingMessage, type MessageStatus } from '../../core/index.js'
import { installSignal, type SignalLayer } from '../../emulator/signal/index.js'
import { BOT_PHONE, pair, startEmulatedRuntime, until, type EmulatedRuntime } from '../support/emulated-runtime.js'

const ALICE = '15550200002'
const ALICE_JID = `${ALICE}@s.whatsapp.net`
const BOB = '15550200003'
const BOT_JID = `${BOT_PHONE}@s.whatsapp.net`

describe('message kinds and sent messages statuses on the WhatsApp emulator', () => {
  let e: EmulatedRuntime
  let signal: SignalLayer
  const heard: IncomingMessage[] = []
  const statuses: MessageStatus[] = []
  const listener = definePlugin({
    name: 'listener',
    version: '1.0.0',
    setup(plugin) {
      plugin.on('message', (message) => void heard.push(message))
      plugin.whatsapp.onMessageStatus((status) => void statuses.push(status))
    },
  })

  before(async () => {
    e = await startEmulatedRuntime({ plugins: [listener] })
    signal = installSignal(e.emulator.host, { timeoutMs: 5000 })
    e.emulator.addContact({ phone: ALICE, name: 'Alice' })
    e.emulator.addContact({ phone: BOB, name: 'Bob' })
    await pair(e)
  })
  after(async () => {
    signal.close()
    await e.close()
  })

  const heardOf = async (id: string): Promise<IncomingMessage> => {
    await until(() => heard.some((m) => m.id === id), `the plugin hearing message ${id}`)
    return heard.find((m) => m.id === id) as IncomingMessage
  }
  const statusesOf = (id: string): MessageStatus[] => statuses.filter((s) => s.id === id)

  it('a plugin hears a location, an image (metadata only) and a reaction, each with its kind and fields', async () => {
    const alice = signal.contact(ALICE)
    const location = await alice.send({ locationMessage: { degreesLatitude: -6.175392, degreesLongitude: 106.827153, name: 'Monas', address: 'Gambir, Jakarta' } })
    const image = await alice.send({
      imageMessage: { mimetype: 'image/jpeg', caption: '!ping the view', fileLength: 48_213, width: 1280, height: 960, contextInfo: { stanzaId: location.id, participant: ALICE_JID } },
    })
    const reaction = await alice.send({ reactionMessage: { key: { remoteJid: BOT_JID, fromMe: true, id: image.id }, text: '❤️', senderTimestampMs: Date.now() } })

    const place = await heardOf(location.id)
    assert.equal(place.kind, 'location')
    assert.equal(place.text, '')
    assert.deepEqual(place.location, { latitude: -6.175392, longitude: 106.827153, name: 'Monas', address: 'Gambir, Jakarta' })
    assert.equal(place.sender, ALICE_JID)
    assert.equal(place.session, 'default')
    assert.equal(place.media, undefined)

    const picture = await heardOf(image.id)
    assert.equal(picture.kind, 'image')
    assert.equal(picture.text, '!ping the view')
    assert.deepEqual(picture.media, { mimetype: 'image/jpeg', size: 48_213, width: 1280, height: 960 })
    assert.deepEqual(picture.quoted, { id: location.id, sender: ALICE_JID })

    const heart = await heardOf(reaction.id)
    assert.equal(heart.kind, 'reaction')
    assert.equal(heart.text, '❤️')
    assert.deepEqual(heart.reaction, { emoji: '❤️', message_id: image.id })

    await e.runtime.idle()
    // The caption starts with the prefix, and still ran no command.
    assert.equal(signal.replies.length, 0, 'the bot answered none of them')
  })

  it('reports a sent text as sent, then delivered; and another as read where the contact sends read receipts', async () => {
    signal.configure({ receipts: 'delivered' })
    const whatsapp = e.runtime.whatsapp
    await whatsapp.sendText(ALICE_JID, 'hello Alice', { id: '3EB0STATUS00000000000001' })
    await until(() => statusesOf('3EB0STATUS00000000000001').length >= 2, 'sent and delivered')
    const [sent, delivered, ...more] = statusesOf('3EB0STATUS00000000000001')
    assert.deepEqual(more, [])
    assert.equal(sent?.status, 'sent')
    assert.equal(delivered?.status, 'delivered')
    for (const status of [sent, delivered]) {
      assert.equal(status?.chat, ALICE_JID, 'the chat the bot sent to, not the lid the receipt came from')
      assert.equal(status?.recipient, undefined)
      assert.ok(Math.abs((status?.timestamp ?? 0) - Date.now() / 1000) < 60)
    }

    // The emulator's contacts send either delivery or read receipts, not both for one message.
    signal.configure({ receipts: 'read' })
    await whatsapp.sendText(ALICE_JID, 'seen?', { id: '3EB0STATUS00000000000002' })
    await until(() => statusesOf('3EB0STATUS00000000000002').length >= 2, 'sent and read')
    assert.deepEqual(
      statusesOf('3EB0STATUS00000000000002').map((s) => s.status),
      ['sent', 'read'],
    )
  })

  it('in a group, each member that gets the message is reported with recipient', async () => {
    signal.configure({ receipts: 'delivered' })
    const whatsapp = e.runtime.whatsapp
    const { group } = await whatsapp.groups.create('Statuses', [`${ALICE}@s.whatsapp.net`, `${BOB}@s.whatsapp.net`])
    await whatsapp.sendText(group.jid, 'hello all', { id: '3EB0STATUS00000000000003' })
    await until(() => statusesOf('3EB0STATUS00000000000003').length >= 3, 'sent, and delivered to both')
    const [sent, ...delivered] = statusesOf('3EB0STATUS00000000000003')
    assert.deepEqual(sent, { id: '3EB0STATUS00000000000003', chat: group.jid, status: 'sent', timestamp: sent?.timestamp })
    assert.deepEqual(
      delivered.map((s) => [s.chat, s.status, s.recipient]).sort(),
      [
        [group.jid, 'delivered', ALICE_JID],
        [group.jid, 'delivered', `${BOB}@s.whatsapp.net`],
      ],
    )
  })
})
