// Several real Baileys clients, each logged in as its own bot account, on
// one emulator: each is told only what concerns it.
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { DisconnectReason, type WAMessage } from '@whiskeysockets/baileys'
import { startEmulator, type Emulator } from '../../emulator/index.js'
import { installSignal, type SignalLayer } from '../../emulator/signal/index.js'
import { nextUpsert, textOf } from '../emulator-signal/client-events.js'
import { BotClient, nextEvent, pairedBot, statusOf } from './helpers.js'

const A = '15550100001'
const B = '15550100002'
const alicePhone = '15550200001'

/** Pairs a fresh client with a pairing code for `phone`, and returns it open. */
async function pairedByCode(emu: Emulator, phone: string): Promise<BotClient> {
  const bot = await BotClient.create(emu)
  await bot.waitForQr()
  const code = await bot.sock.requestPairingCode(phone)
  const closed = bot.waitForClose()
  await emu.confirmPairingCode(code)
  assert.equal(statusOf(await closed), DisconnectReason.restartRequired)
  await bot.connect()
  await bot.waitForOpen()
  return bot
}

/** Every message text the client was handed, to show what it never saw. */
function seenTexts(bot: BotClient): string[] {
  const seen: string[] = []
  bot.sock.ev.on('messages.upsert', ({ messages }: { messages: WAMessage[] }) => {
    for (const m of messages) seen.push(textOf(m) ?? '')
  })
  return seen
}

void describe('many bots on one emulator', () => {
  let emu: Emulator
  let signal: SignalLayer
  let botA: BotClient
  let botB: BotClient
  let seenByA: string[]
  let seenByB: string[]
  let group = ''

  before(async () => {
    emu = await startEmulator({ iqTimeoutMs: 3000 })
    signal = installSignal(emu.host, { timeoutMs: 5000 })
    emu.addContact({ phone: alicePhone, name: 'Alice' })
    botA = await pairedBot(emu, A)
    botB = await pairedByCode(emu, B)
    seenByA = seenTexts(botA)
    seenByB = seenTexts(botB)
  })

  after(async () => {
    signal.close()
    await botA.dispose()
    await botB.dispose()
    await emu.stop()
  })

  void test('two bots, one paired by QR and one by pairing code, are connected at once as themselves', () => {
    assert.deepEqual(emu.bots().map((b) => b.phone), [A, B])
    assert.ok(emu.bot(A).connected() && emu.bot(B).connected())
    assert.equal(emu.botPhone, A, 'the single-bot API still means the first bot')
    assert.ok(emu.connected())
    assert.match(botA.sock.user?.id ?? '', new RegExp(`^${A}:\\d+@s\\.whatsapp\\.net$`))
    assert.match(botB.sock.user?.id ?? '', new RegExp(`^${B}:\\d+@s\\.whatsapp\\.net$`))
    assert.equal(botB.sock.user?.lid?.split(':')[0], emu.bot(B).lid.split('@')[0])
    assert.ok(emu.host.world.preKeysOf(emu.host.world.botOf(B)!), 'B uploaded its own prekeys')
  })

  void test('a contact writes to each bot; each decrypts only its own message', async () => {
    const alice = signal.contact(alicePhone)
    const toA = nextUpsert(botA.sock, (m) => textOf(m) === 'hello A')
    const toB = nextUpsert(botB.sock, (m) => textOf(m) === 'hello B')
    await alice.say('hello A')
    await alice.say('hello B', { to: B })
    assert.equal((await toA).key.remoteJid, alice.lid)
    assert.equal((await toB).key.remoteJid, alice.lid)
    assert.ok(!seenByA.includes('hello B') && !seenByB.includes('hello A'))

    // Each bot answers in its own chat with Alice; the contact tells them apart.
    await botB.sock.sendMessage(alice.jid, { text: 'B here' })
    const reply = await alice.nextReply({ bot: B })
    assert.equal(reply.text, 'B here')
    assert.equal(reply.bot, emu.bot(B).jid)
  })

  void test("a group bot A creates is A's alone: B hears nothing of it and may not read or change it", async () => {
    const created = await botA.sock.groupCreate('Team A', [`${alicePhone}@s.whatsapp.net`])
    group = created.id
    assert.deepEqual(emu.group(group)?.participants.map((p) => p.phone).sort(), [A, alicePhone].sort())
    // Baileys carries the IQ error's code as the error's data.
    const forbidden = (err: { data?: unknown }) => err.data === 403
    await assert.rejects(botB.sock.groupMetadata(group), forbidden)
    await assert.rejects(botB.sock.groupUpdateSubject(group, 'Mine now'), forbidden)
    assert.equal(emu.group(group)?.subject, 'Team A')
    const groupsOfB = await botB.sock.groupFetchAllParticipating()
    assert.equal(groupsOfB[group], undefined)

    // A group message reaches the one bot in it.
    const atA = nextUpsert(botA.sock, (m) => textOf(m) === 'only A listens')
    await signal.contact(alicePhone).say('only A listens', { group })
    assert.equal((await atA).key.remoteJid, group)
    assert.ok(!seenByB.includes('only A listens'))
  })

  void test('once A adds B, B gets the group, its messages from the contact, and what A writes there', async () => {
    const told = nextEvent(botB.sock, 'group-participants.update', (u) => u.id === group && u.action === 'add')
    const res = await botA.sock.groupParticipantsUpdate(group, [`${B}@s.whatsapp.net`], 'add')
    assert.deepEqual(res.map((r) => r.status), ['200'])
    await told
    assert.equal((await botB.sock.groupMetadata(group)).subject, 'Team A')

    // From the contact: one message, decrypted by both bots (each got the sender key).
    const alice = signal.contact(alicePhone)
    const atA = nextUpsert(botA.sock, (m) => textOf(m) === 'hello both')
    const atB = nextUpsert(botB.sock, (m) => textOf(m) === 'hello both')
    await alice.say('hello both', { group })
    assert.equal((await atA).key.participant, alice.lid)
    assert.equal((await atB).key.participant, alice.lid)

    // From bot A: the contact reads it, and B decrypts what A encrypted for it.
    const atB2 = nextUpsert(botB.sock, (m) => textOf(m) === 'A speaking')
    await botA.sock.sendMessage(group, { text: 'A speaking' })
    assert.deepEqual((await signal.nextReply({ chat: group, bot: A })).readBy, [alice.jid])
    const fromA = await atB2
    assert.equal(fromA.key.remoteJid, group)
    assert.equal(fromA.key.participant?.split(/[:@]/)[0], emu.bot(A).lid.split('@')[0])

    // And B, a plain member now, changes the subject; A hears of it.
    const renamed = nextEvent(botA.sock, 'groups.update', (u) => u.some((g) => g.id === group && g.subject === 'Team A+B'))
    await botB.sock.groupUpdateSubject(group, 'Team A+B')
    await renamed
  })

  void test('a bot writes to another bot in a 1:1 chat', async () => {
    const atB = nextUpsert(botB.sock, (m) => textOf(m) === 'hi B, A here')
    await botA.sock.sendMessage(emu.bot(B).jid, { text: 'hi B, A here' })
    const m = await atB
    assert.equal(m.key.fromMe, false)
    assert.equal(m.key.remoteJid?.split(/[:@]/)[0], emu.bot(A).lid.split('@')[0])
    // B's phone read its copy too, and no contact or bot phone failed to read anything so far.
    assert.deepEqual(signal.failures, [])
  })

  void test("dropping bot A's connection leaves bot B connected and reachable", async () => {
    const closed = botA.waitForClose()
    emu.bot(A).faults.dropConnection()
    await closed
    assert.equal(emu.bot(A).connected(), false)
    assert.equal(emu.bot(B).connected(), true)
    const atB = nextUpsert(botB.sock, (m) => textOf(m) === 'still there, B?')
    await signal.contact(alicePhone).say('still there, B?', { to: B })
    await atB
  })
})
