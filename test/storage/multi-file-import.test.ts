import assert from 'node:assert/strict'
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, it } from 'node:test'
import { useMultiFileAuthState } from '@whiskeysockets/baileys'
import { parseFileName } from '../../core/storage/multi-file-import.js'
import { Storage } from '../../core/storage/storage.js'
import { installSignal } from '../../emulator/signal/index.js'
import { pair, startEmulatedRuntime } from '../support/emulated-runtime.js'

const CONTACT = '15550004444'

describe('upgrading from the multi-file session folder', () => {
  it('reads back the ids Baileys wrote into file names', () => {
    assert.deepEqual(parseFileName('sender-key-120363000000000001@g.us--15550001111_1--0.json'), { type: 'sender-key', id: '120363000000000001@g.us::15550001111_1::0' })
    assert.deepEqual(parseFileName('sender-key-memory-120363000000000001@g.us.json'), { type: 'sender-key-memory', id: '120363000000000001@g.us' })
    assert.deepEqual(parseFileName('app-state-sync-key-AAAA__bb+c.json'), { type: 'app-state-sync-key', id: 'AAAA/bb+c' })
    assert.deepEqual(parseFileName('tctoken-15550001111-3@s.whatsapp.net.json'), { type: 'tctoken', id: '15550001111:3@s.whatsapp.net' })
    assert.deepEqual(parseFileName('sender-key-15550001111-1600000000@g.us--123--0.json'), { type: 'sender-key', id: '15550001111-1600000000@g.us::123::0' }, 'a legacy group id keeps its dash')
    assert.equal(parseFileName('something-else-1.json'), undefined)
  })

  it('imports an earlier version\'s auth folder on first start: no QR, contacts still understood, the folder kept under a new name', async () => {
    const before = await startEmulatedRuntime()
    const signal = installSignal(before.emulator.host, { timeoutMs: 5000 })
    before.emulator.addContact({ phone: CONTACT, name: 'Contact' })
    const upgradedDir = mkdtempSync(path.join(tmpdir(), 'waplug-upgrade-'))
    try {
      await pair(before)
      // A Signal session with the contact exists before the upgrade.
      const first = await signal.contact(CONTACT).say('!ping')
      assert.equal((await signal.repliesTo(first.id, { count: 1 }))[0]?.text, 'pong')
      await before.runtime.stop()

      // What an earlier waplug left: the same session, in Baileys' multi-file folder.
      const storage = new Storage(path.join(before.dataDir, 'store'))
      const snapshot = await storage.authStore().snapshot('default')
      await storage.close()
      assert.ok(snapshot)
      const folder = path.join(upgradedDir, 'auth')
      const old = await useMultiFileAuthState(folder)
      Object.assign(old.state.creds, snapshot.creds)
      await old.saveCreds()
      const byType: Record<string, Record<string, unknown>> = {}
      for (const { type, id, value } of snapshot.keys) (byType[type] ??= {})[id] = value
      await old.state.keys.set(byType)

      const upgraded = await startEmulatedRuntime({ emulator: before.emulator, dataDir: upgradedDir })
      try {
        await upgraded.waitForState('open')
        assert.doesNotMatch(upgraded.terminal(), /Scan this QR/, 'the upgraded bot logged in without a QR')
        const next = await signal.contact(CONTACT).say('!ping')
        assert.equal((await signal.repliesTo(next.id, { count: 1 }))[0]?.text, 'pong', 'the contact\'s session came along')
        assert.equal(existsSync(folder), false)
        const kept = readdirSync(upgradedDir).find((name) => name.startsWith('auth.imported-'))
        assert.ok(kept, 'the old folder is renamed, not deleted')
        assert.ok(existsSync(path.join(upgradedDir, kept, 'creds.json')))
      } finally {
        await upgraded.close()
      }
    } finally {
      signal.close()
      await before.close()
      rmSync(upgradedDir, { recursive: true, force: true })
    }
  })
})
