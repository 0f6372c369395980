// How ReadAgain rides on Baileys' key transactions: Baileys' own
// addTransactionCapability over a store that records each batch it commits,
// and a repository that writes its session inside a transaction of its own,
// as Baileys' decryptMessage does.
import assert from 'node:assert/strict'
import { EventEmitter } from 'node:events'
import { describe, it } from 'node:test'
import { addTransactionCapability, type BinaryNode, type SignalDataSet, type SignalKeyStore, type WASocket } from '@whiskeysockets/baileys'
import { pino } from 'pino'
import { keptBefore, ReadAgain } from '../../core/whatsapp/read-again.js'

const ME = '15550000001:1@s.whatsapp.net'
const CIPHERTEXT = new Uint8Array([7, 7, 7])

/** A key store kept in memory that records every batch committed to it. */
function recordingStore() {
  const data = new Map<string, unknown>()
  const batches: string[][] = []
  const store: SignalKeyStore = {
    get: async (type, ids) => Object.fromEntries(ids.flatMap((id) => (data.has(`${type}/${id}`) ? [[id, data.get(`${type}/${id}`)]] : []))) as never,
    set: async (set: SignalDataSet) => {
      const batch: string[] = []
      for (const [type, values] of Object.entries(set)) {
        for (const [id, value] of Object.entries(values ?? {})) {
          batch.push(type)
          if (value === null) data.delete(`${type}/${id}`)
          else data.set(`${type}/${id}`, value)
        }
      }
      batches.push(batch.sort())
    },
  }
  return { store, data, batches }
}

/** A socket with just what ReadAgain touches; `decrypt` stands for libsignal moving the session on. */
function socketOver(store: SignalKeyStore, decrypt: () => Promise<Uint8Array>) {
  const keys = addTransactionCapability(store, pino({ level: 'silent' }), { maxCommitRetries: 1, delayBetweenTriesMs: 0 })
  const ws = new EventEmitter()
  const repository = {
    decryptMessage: ({ jid }: { jid: string }) =>
      keys.transaction(async () => {
        const plain = await decrypt()
        await keys.set({ session: { [jid]: Buffer.from('moved on') } })
        return plain
      }, jid),
    decryptGroupMessage: () => Promise.reject(new Error('not in this test')),
  }
  const sock = { ws, signalRepository: repository, authState: { creds: { me: { id: ME } }, keys } } as unknown as WASocket
  const deliver = (id: string) => {
    const stanza: BinaryNode = { tag: 'message', attrs: { id }, content: [{ tag: 'enc', attrs: { type: 'msg' }, content: CIPHERTEXT }] }
    ws.emit('CB:message', stanza)
    return sock.signalRepository.decryptMessage({ jid: 'ann@s.whatsapp.net', type: 'msg', ciphertext: CIPHERTEXT })
  }
  return { sock, deliver }
}

const never = () => Promise.resolve()
const failed = (error: unknown) => assert.fail(String(error))

describe('reading a message again', () => {
  it('commits the text with the session its decryption moved on, in one batch, and serves a copy from it in a new process', async () => {
    const { store, batches } = recordingStore()
    const first = socketOver(store, async () => new Uint8Array([1, 2, 3]))
    new ReadAgain(never, failed).attach(first.sock)
    assert.deepEqual([...(await first.deliver('M1'))], [1, 2, 3])
    assert.deepEqual(batches, [['read-again', 'session']])

    // A new process on the same store: nothing in memory, and the session refuses the copy.
    const again = socketOver(store, () => Promise.reject(new Error('Key used already or never filled')))
    new ReadAgain(never, failed).attach(again.sock)
    assert.deepEqual([...(await again.deliver('M1'))], [1, 2, 3])
    await assert.rejects(again.deliver('M2'), /Key used already/, 'the same ciphertext under another message id is not served')
    assert.equal(batches.length, 1, 'serving a copy writes nothing')
  })

  it('stores nothing when the decryption fails: neither the session nor a text', async () => {
    const { store, batches, data } = recordingStore()
    const { sock, deliver } = socketOver(store, () => Promise.reject(new Error('Bad MAC')))
    new ReadAgain(never, failed).attach(sock)
    await assert.rejects(deliver('M1'), /Bad MAC/)
    assert.deepEqual(batches, [])
    assert.equal(data.size, 0)
  })

  it('forgets, while a connection stays open, what was kept before it opened and longer ago than it keeps texts', async (t) => {
    t.mock.timers.enable({ apis: ['setInterval', 'Date'], now: 1_000_000 })
    const sweeps: number[] = []
    const readAgain = new ReadAgain(async (before) => sweeps.push(before), failed, 600_000)
    readAgain.opened()
    t.mock.timers.tick(599_999)
    assert.deepEqual(sweeps, [])
    t.mock.timers.tick(1)
    t.mock.timers.tick(600_000)
    assert.deepEqual(sweeps, [1_000_000, 1_600_000])
    readAgain.closed()
    t.mock.timers.tick(600_000)
    assert.equal(sweeps.length, 2, 'nothing is forgotten while the bot is away: the copies come when it is back')

    const stale = keptBefore(1_000_000)
    assert.equal(stale({ id: 'M1', plain: Buffer.from('x'), at: 999_999 }), true)
    assert.equal(stale({ id: 'M1', plain: Buffer.from('x'), at: 1_000_000 }), false)
    assert.equal(stale('not a text'), true)
  })
})
