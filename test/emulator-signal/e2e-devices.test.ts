// A contact with a linked companion device: the client fans out to both
// devices (the companion listed with its key index), 1:1 and in a group.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { pairedBot, withEmulator } from '../emulator/helpers.js'
import { installSignal } from '../../emulator/signal/index.js'

void test('messages to a contact with a linked device reach both devices', async () => {
  await withEmulator(async (emu) => {
    const signal = installSignal(emu.host, { timeoutMs: 5000 })
    emu.addContact({ phone: '15550700001', name: 'Jo' })
    emu.addContact({ phone: '15550700002', name: 'Kim' })
    const bot = await pairedBot(emu)
    try {
      const jo = signal.contact('15550700001')
      const kim = signal.contact('15550700002')
      assert.equal(jo.linkDevice(), 1)
      const joUser = jo.lid.split('@')[0]!

      await bot.sock.sendMessage(jo.jid, { text: 'to every device' })
      const direct = await jo.nextReply()
      assert.equal(direct.text, 'to every device')
      assert.deepEqual([...direct.devices].sort(), [`${joUser}:1@lid`, `${joUser}@lid`])

      const { id: group } = await bot.sock.groupCreate('Devices', [jo.jid, kim.jid])
      await bot.sock.sendMessage(group, { text: 'group fan-out' })
      const inGroup = await signal.nextReply({ chat: group })
      assert.equal(inGroup.text, 'group fan-out')
      assert.equal(inGroup.devices.length, 3, `Jo's two devices and Kim's phone: ${inGroup.devices.join(', ')}`)
      assert.deepEqual(signal.failures, [])
    } finally {
      await bot.dispose()
    }
  })
})
