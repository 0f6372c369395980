import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { setTimeout as sleep } from 'node:timers/promises'
import { describe, it } from 'node:test'
import { addTransactionCapability, type SignalDataSet, type SignalKeyStore } from '@whiskeysockets/baileys'
import { pino } from 'pino'
import { baileysTransactionsLeavePromisesAlone } from '../../core/whatsapp/baileys-patch.js'

/** A key store in memory, holding what was written to it (not what a transaction holds back). */
function memoryStore(): SignalKeyStore & { saved: Record<string, Record<string, unknown>> } {
  const saved: Record<string, Record<string, unknown>> = {}
  return {
    saved,
    get: async (type, ids) => Object.fromEntries(ids.flatMap((id) => (saved[type]?.[id] === undefined ? [] : [[id, saved[type][id]]]))) as never,
    set: async (data: SignalDataSet) => {
      for (const [type, values] of Object.entries(data)) Object.assign((saved[type] ??= {}), values)
    },
  }
}

const keysOver = (store: SignalKeyStore) => addTransactionCapability(store, pino({ level: 'silent' }), { maxCommitRetries: 1, delayBetweenTriesMs: 0 })
const session = (value: string) => ({ session: { contact: Buffer.from(value) } })
const readSession = async (keys: SignalKeyStore): Promise<string | undefined> => (await keys.get('session', ['contact'])).contact?.toString()

// Baileys wraps every session's key store in these transactions.
describe("Baileys' key transactions (patched)", () => {
  it('leave promise hooks on only while a transaction runs, so calls that touch no keys do not pay for them', () => {
    assert.equal(baileysTransactionsLeavePromisesAlone(), true)
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'test/fixtures/promise-hooks-around-transaction.ts'], { encoding: 'utf8', timeout: 30_000 })
    assert.equal(run.status, 0, run.stderr)
    assert.deepEqual(JSON.parse(run.stdout), { before: false, during: true, after: false })
  })

  it('keep each transaction to itself while they overlap, and write nothing before it commits', async () => {
    const store = memoryStore()
    const keys = keysOver(store)
    let secondSaw: string | undefined
    let savedBeforeCommit: unknown
    const first = keys.transaction(async () => {
      await keys.set(session('first'))
      await sleep(5)
    }, 'first')
    const second = keys.transaction(async () => {
      await first
      // The first has ended and committed; this one must still be in its own transaction.
      await keys.set(session('second'))
      secondSaw = await readSession(keys)
      savedBeforeCommit = store.saved.session?.contact?.toString()
    }, 'second')
    await Promise.all([first, second])
    assert.equal(secondSaw, 'second')
    assert.equal(savedBeforeCommit, 'first')
    assert.equal(store.saved.session?.contact?.toString(), 'second')
  })

  it('write what a transaction started and did not wait for, even when it lands after the commit', async () => {
    const store = memoryStore()
    const keys = keysOver(store)
    let late: Promise<void> | undefined
    await keys.transaction(async () => {
      await keys.set(session('in time'))
      late = sleep(10).then(() => keys.set(session('late')))
    }, 'contact')
    await late
    assert.equal(store.saved.session?.contact?.toString(), 'late')
    assert.equal(keys.isInTransaction(), false)
  })
})
