import { test } from 'node:test'
import assert from 'node:assert/strict'
import { parseKeyUpload, takeUploadedBundle } from '../../emulator/signal/bundle-wire.js'
import { SignalPeer } from '../../emulator/signal/signal-peer.js'
import { pad, unpad } from '../../emulator/signal/padding.js'
import { decodeMessage, encodeMessage, textMessage, readText } from '../../emulator/signal/text-message.js'
import { baileysSignalDevice } from './baileys-signal-device.js'

const CONTACT_LID = '111222333@lid'
const contactAddr = { name: '111222333', device: 0 }
const botAddr = { name: 'bot', device: 7 }

void test('a contact encrypts to the bundle Baileys uploads and Baileys decrypts it (pkmsg until answered, then msg)', async () => {
  const bot = await baileysSignalDevice()
  const uploaded = parseKeyUpload(bot.uploadNode)
  const contact = new SignalPeer()
  await contact.startSession(botAddr, takeUploadedBundle(uploaded))
  assert.equal(uploaded.preKeys.size, 4, 'the one-time prekey handed out is gone')

  const send = async (text: string, expectedType: 'pkmsg' | 'msg') => {
    const enc = await contact.encrypt(botAddr, pad(encodeMessage(textMessage(text))))
    assert.equal(enc.type, expectedType)
    const plain = await bot.repository.decryptMessage({ jid: CONTACT_LID, type: enc.type, ciphertext: enc.ciphertext })
    assert.equal(readText(decodeMessage(unpad(plain))).text, text)
  }
  // Like a real initiator, the contact repeats the prekey header until the bot has answered.
  await send('hello 1', 'pkmsg')
  await send('hello 2', 'pkmsg')
  const answer = await bot.repository.encryptMessage({ jid: CONTACT_LID, data: pad(encodeMessage(textMessage('ok'))) })
  assert.equal(answer.type, 'msg')
  assert.equal(readText(decodeMessage(unpad(await contact.decrypt(botAddr, 'msg', answer.ciphertext)))).text, 'ok')
  await send('hello 3', 'msg')
})

void test('Baileys encrypts to a contact bundle and the contact decrypts it', async () => {
  const bot = await baileysSignalDevice()
  const contact = new SignalPeer()
  const bundle = contact.takeBundle()
  await bot.repository.injectE2ESession({
    jid: CONTACT_LID,
    session: {
      registrationId: bundle.registrationId,
      identityKey: bundle.identityKey,
      signedPreKey: bundle.signedPreKey,
      preKey: bundle.preKey!,
    },
  })
  for (const [i, expectedType] of (['pkmsg', 'pkmsg'] as const).entries()) {
    // Until the contact answers, every message from the initiator stays a pkmsg.
    const text = `reply ${i}`
    const { type, ciphertext } = await bot.repository.encryptMessage({ jid: CONTACT_LID, data: pad(encodeMessage(textMessage(text))) })
    assert.equal(type, expectedType)
    const plain = await contact.decrypt(botAddr, type, ciphertext)
    assert.equal(readText(decodeMessage(unpad(plain))).text, text)
  }
})

void test('sender keys: a contact group message decrypts in Baileys, and Baileys group messages decrypt at the contact', async () => {
  const group = '120363000000000001@g.us'
  const bot = await baileysSignalDevice()
  const contact = new SignalPeer()

  const skdm = await contact.senderKeyDistribution(group, contactAddr)
  await bot.repository.processSenderKeyDistributionMessage({
    authorJid: CONTACT_LID,
    item: { groupId: group, axolotlSenderKeyDistributionMessage: skdm },
  })
  const sk = await contact.groupEncrypt(group, contactAddr, pad(encodeMessage(textMessage('hi group'))))
  const plain = await bot.repository.decryptGroupMessage({ group, authorJid: CONTACT_LID, msg: sk })
  assert.equal(readText(decodeMessage(unpad(plain))).text, 'hi group')

  const BOT_LID = '999888777:7@lid'
  const out = await bot.repository.encryptGroupMessage({ group, meId: BOT_LID, data: pad(encodeMessage(textMessage('hi all'))) })
  await contact.processSenderKeyDistribution(group, botAddr, out.senderKeyDistributionMessage)
  const back = await contact.groupDecrypt(group, botAddr, out.ciphertext)
  assert.equal(readText(decodeMessage(unpad(back))).text, 'hi all')
})

void test('padding round-trips and rejects garbage', () => {
  for (let n = 1; n <= 16; n++) assert.deepEqual(unpad(pad(Buffer.from('abc'), n)), Buffer.from('abc'))
  assert.throws(() => unpad(Buffer.from([1, 2, 0])))
})
