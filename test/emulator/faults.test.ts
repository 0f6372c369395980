import assert from 'node:assert/strict'
import { test } from 'node:test'
import { DisconnectReason } from '@whiskeysockets/baileys'
import type { Emulator } from '../../emulator/index.js'
import { installSignal } from '../../emulator/signal/index.js'
import { type BotClient, pairedBot, statusOf, withEmulator } from './helpers.js'

async function withBot(fn: (emu: Emulator, bot: BotClient) => Promise<void>): Promise<void> {
  await withEmulator(async (emu) => {
    const bot = await pairedBot(emu)
    try {
      await fn(emu, bot)
    } finally {
      await bot.dispose()
    }
  })
}

void test('dropConnection: the client closes with a reconnectable reason, and reconnects', async () => {
  await withBot(async (emu, bot) => {
    const closed = bot.waitForClose()
    emu.faults.dropConnection()
    const status = statusOf(await closed)
    assert.equal(status, DisconnectReason.connectionClosed)
    assert.equal(emu.connected(), false)
    await bot.connect()
    await bot.waitForOpen()
    assert.ok(emu.connected())
  })
})

void test('stream errors map to the right DisconnectReason: 515, 440, 401', async () => {
  await withBot(async (emu, bot) => {
    for (const code of [515, 440] as const) {
      const closed = bot.waitForClose()
      emu.faults.streamError(code)
      assert.equal(statusOf(await closed), code === 515 ? DisconnectReason.restartRequired : DisconnectReason.connectionReplaced)
      await bot.connect()
      await bot.waitForOpen()
    }
    const closed = bot.waitForClose()
    emu.faults.streamError(401)
    assert.equal(statusOf(await closed), DisconnectReason.loggedOut)
    // Logged out for good: the same credentials are refused from now on.
    await bot.connect()
    assert.equal(statusOf(await bot.waitForClose()), DisconnectReason.loggedOut)
  })
})

void test('a second login replaces the first with a 440 conflict', async () => {
  await withBot(async (emu, bot) => {
    const closed = bot.waitForClose()
    const first = bot.sock
    await bot.connect()
    assert.equal(statusOf(await closed), DisconnectReason.connectionReplaced)
    await bot.waitForOpen()
    assert.notEqual(first, bot.sock)
    assert.ok(emu.connected())
  })
})

void test('delayIq and swallowIq', async () => {
  await withBot(async (emu, bot) => {
    const meta = await bot.sock.groupCreate('Slow', [])
    emu.faults.delayIq({ xmlns: 'w:g2', child: 'query' }, 300)
    const t0 = Date.now()
    await bot.sock.groupMetadata(meta.id)
    assert.ok(Date.now() - t0 >= 290, `took ${Date.now() - t0} ms`)
    emu.faults.swallowIq({ xmlns: 'w:g2', child: 'invite' })
    await assert.rejects(bot.sock.query({ tag: 'iq', attrs: { to: meta.id, type: 'get', xmlns: 'w:g2' }, content: [{ tag: 'invite', attrs: {} }] }, 300), /Timed Out/)
    emu.faults.clear()
    assert.ok(await bot.sock.groupInviteCode(meta.id))
  })
})

void test('keepalive pings and unmodelled IQs are answered', async () => {
  await withBot(async (emu, bot) => {
    let pings = 0
    const off = emu.host.router.iq({ xmlns: 'w:p', child: 'ping' }, () => {
      pings++
      return undefined
    })
    try {
      const reply = (await bot.sock.query({ tag: 'iq', attrs: { to: 's.whatsapp.net', type: 'get', xmlns: 'w:nothing-models-this' }, content: [{ tag: 'x', attrs: {} }] }, 1000)) as { attrs: Record<string, string> }
      assert.equal(reply.attrs.type, 'result')
      await new Promise((r) => setTimeout(r, 2200))
      assert.ok(pings >= 1, 'the client pinged at its keepalive interval')
      assert.ok(emu.connected())
    } finally {
      off()
    }
  })
})

void test('dropOnNext: the bot’s next message to someone is lost with the connection; loseNext loses it and keeps the connection', async () => {
  await withBot(async (emu, bot) => {
    const alice = emu.addContact({ phone: '15550300001', name: 'Alice' })
    const signal = installSignal(emu.host)
    emu.faults.dropOnNext('message', { to: alice.phone })
    const closed = bot.waitForClose()
    // Baileys resolves once the bytes are handed to the socket, which is why the runtime waits for the server's ack.
    await bot.sock.sendMessage(alice.jid, { text: 'lost' }).catch(() => undefined)
    assert.equal(statusOf(await closed), DisconnectReason.connectionClosed)
    await bot.connect()
    await bot.waitForOpen()
    emu.faults.loseNext('message', { to: alice.phone })
    await bot.sock.sendMessage(alice.jid, { text: 'lost too' })
    await bot.sock.sendMessage(alice.jid, { text: 'arrives' })
    assert.equal((await signal.nextReply({ chat: alice.jid })).text, 'arrives')
    assert.ok(emu.connected())
    assert.deepEqual(signal.replies.map((r) => r.text), ['arrives'])
  })
})

const CREATE = { xmlns: 'w:g2', child: 'create' }
const createIq = (subject: string) => ({
  tag: 'iq',
  attrs: { to: '@g.us', type: 'set', xmlns: 'w:g2' },
  content: [{ tag: 'create', attrs: { subject, key: `k-${subject}` }, content: [] }],
})

void test('loseIqAnswer: the group is created on the server, the answer never comes', async () => {
  await withBot(async (emu, bot) => {
    emu.faults.loseIqAnswer(CREATE)
    await assert.rejects(bot.sock.query(createIq('Unanswered'), 500), /Timed Out/)
    assert.equal(emu.groups().filter((g) => g.subject === 'Unanswered').length, 1)
    assert.ok(emu.connected())
  })
})

void test('closeAfterIq: the group is created, then the connection drops or restarts instead of answering', async () => {
  await withBot(async (emu, bot) => {
    for (const [how, reason] of [['drop', DisconnectReason.connectionClosed], [515, DisconnectReason.restartRequired]] as const) {
      emu.faults.clear()
      emu.faults.closeAfterIq(CREATE, how)
      const closed = bot.waitForClose()
      void bot.sock.query(createIq(`Cut ${how}`), 500).catch(() => undefined)
      assert.equal(statusOf(await closed), reason)
      assert.equal(emu.groups().filter((g) => g.subject === `Cut ${how}`).length, 1)
      await bot.connect()
      await bot.waitForOpen()
    }
  })
})

void test('silence: nothing goes either way and nothing closes, until the server drops it', async () => {
  await withBot(async (emu, bot) => {
    let pings = 0
    const off = emu.host.router.iq({ xmlns: 'w:p', child: 'ping' }, () => {
      pings++
      return undefined
    })
    try {
      const closes = () => bot.updates.filter((u) => u.connection === 'close').length
      const closedBefore = closes()
      emu.faults.silence()
      await assert.rejects(bot.sock.query({ tag: 'iq', attrs: { to: 's.whatsapp.net', type: 'get', xmlns: 'w:p' }, content: [{ tag: 'ping', attrs: {} }] }, 500), /Timed Out/)
      await new Promise((r) => setTimeout(r, 2500))
      assert.equal(pings, 0, 'the keepalive pings did not reach the server')
      assert.equal(closes(), closedBefore, 'the client was not told anything')
      assert.ok(emu.connected(), 'nor was the server')
      const closed = bot.waitForClose()
      emu.faults.dropConnection()
      assert.equal(statusOf(await closed), DisconnectReason.connectionClosed)
    } finally {
      off()
    }
  })
})
