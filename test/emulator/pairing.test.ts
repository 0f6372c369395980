import assert from 'node:assert/strict'
import { test } from 'node:test'
import { DisconnectReason } from '@whiskeysockets/baileys'
import { BotClient, pairedBot, statusOf, withEmulator } from './helpers.js'

void test('pair by QR, restart 515, then registered login opens', async () => {
  await withEmulator(async (emu) => {
    const started = Date.now()
    const bot = await pairedBot(emu, '15550100001')
    const ms = Date.now() - started
    try {
      assert.equal(emu.botPhone, '15550100001')
      assert.ok(emu.connected())
      assert.match(bot.sock.user?.id ?? '', /^15550100001:\d+@s\.whatsapp\.net$/)
      assert.match(bot.sock.user?.lid ?? '', /@lid$/)
      const keys = emu.host.world.botPreKeys()
      assert.ok(keys && keys.preKeys.size >= 5, 'the bot uploaded prekeys')
      if (process.env.EMU_TIMING) console.log(`pair + login: ${ms} ms`)
    } finally {
      await bot.dispose()
    }
  })
})

void test('stored auth logs in again after an app restart', async () => {
  await withEmulator(async (emu) => {
    const bot = await pairedBot(emu)
    try {
      await bot.end()
      const started = Date.now()
      await bot.connect()
      await bot.waitForOpen()
      if (process.env.EMU_TIMING) console.log(`re-login: ${Date.now() - started} ms`)
      assert.ok(emu.connected())
    } finally {
      await bot.dispose()
    }
  })
})

void test('a QR nobody shows cannot be scanned', async () => {
  await withEmulator(async (emu) => {
    await assert.rejects(emu.scanQr('https://wa.me/settings/linked_devices#2@nope,AA==,AA==,AA==,x'), /no connected client/)
  })
})

void test('pair by pairing code', async () => {
  await withEmulator(async (emu) => {
    const bot = await BotClient.create(emu)
    try {
      await bot.waitForQr()
      const code = await bot.sock.requestPairingCode('15550100002')
      const closed = bot.waitForClose()
      await emu.confirmPairingCode(code)
      assert.equal(statusOf(await closed), DisconnectReason.restartRequired)
      await bot.connect()
      await bot.waitForOpen()
      assert.equal(emu.botPhone, '15550100002')
    } finally {
      await bot.dispose()
    }
  })
})

void test('two clients wait for a pairing code at once: each code pairs the phone its client asked for', async () => {
  await withEmulator(async (emu) => {
    const first = await BotClient.create(emu)
    const second = await BotClient.create(emu)
    try {
      await Promise.all([first.waitForQr(), second.waitForQr()])
      const codeB = await second.sock.requestPairingCode('15550100002')
      const codeA = await first.sock.requestPairingCode('15550100001')
      // requestPairingCode resolves before its request reaches the server.
      await new Promise((r) => setTimeout(r, 300))
      await assert.rejects(emu.confirmPairingCode(codeA), /say which with \{ phone \}/)
      for (const [bot, code, phone] of [[first, codeA, '15550100001'], [second, codeB, '15550100002']] as const) {
        const closed = bot.waitForClose()
        await emu.confirmPairingCode(code, { phone })
        assert.equal(statusOf(await closed), DisconnectReason.restartRequired)
        await bot.connect()
        await bot.waitForOpen()
        assert.ok(bot.sock.user?.id.startsWith(`${phone}:`))
      }
      assert.deepEqual(emu.bots().map((b) => [b.phone, b.connected()]), [['15550100001', true], ['15550100002', true]])
    } finally {
      await first.dispose()
      await second.dispose()
    }
  })
})
