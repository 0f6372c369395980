import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { describe, it } from 'node:test'
import { SessionRecord } from 'libsignal'
import { boundSessionRecord, RECEIVING_CHAINS_KEPT, withBoundedSessions } from '../../core/whatsapp/bounded-sessions.js'

const SENDING = 1
const RECEIVING = 2

/** A session as libsignal keeps it after `turns` answers from the contact: one receiving chain per turn, one sending chain. */
function recordAfter(turns: number): { record: ReturnType<SessionRecord['serialize']>; receiving: string[]; sending: string } {
  const record = new SessionRecord()
  const entry = (SessionRecord as unknown as { createEntry(): SessionEntryLike }).createEntry()
  entry.registrationId = 7
  entry.currentRatchet = { ephemeralKeyPair: { pubKey: randomBytes(33), privKey: randomBytes(32) }, lastRemoteEphemeralKey: randomBytes(33), previousCounter: 0, rootKey: randomBytes(32) }
  entry.indexInfo = { baseKey: randomBytes(33), baseKeyType: 1, closed: -1, used: 1, created: 1, remoteIdentityKey: randomBytes(33) }
  const receiving: string[] = []
  for (let i = 0; i < turns; i++) {
    const key = randomBytes(33)
    entry.addChain(key, { chainKey: { counter: 0, key: i === turns - 1 ? randomBytes(32) : undefined }, chainType: RECEIVING, messageKeys: {} })
    receiving.push(key.toString('base64'))
  }
  const sendingKey = randomBytes(33)
  entry.addChain(sendingKey, { chainKey: { counter: 3, key: randomBytes(32) }, chainType: SENDING, messageKeys: {} })
  ;(record as unknown as { setSession(entry: SessionEntryLike): void }).setSession(entry)
  return { record: record.serialize(), receiving, sending: sendingKey.toString('base64') }
}

interface SessionEntryLike {
  registrationId: number
  currentRatchet: unknown
  indexInfo: unknown
  addChain(key: Buffer, value: unknown): void
}

const chainsOf = (serialized: unknown) => Object.values((serialized as { _sessions: Record<string, { _chains: Record<string, unknown> }> })._sessions)[0]!._chains

describe('Signal sessions kept bounded', () => {
  it('keeps the newest receiving chains and the sending chain of a long conversation, and libsignal reads it back', () => {
    const { record, receiving, sending } = recordAfter(40)
    const bounded = boundSessionRecord(record)
    const kept = Object.keys(chainsOf(bounded))
    assert.deepEqual(kept, [...receiving.slice(-RECEIVING_CHAINS_KEPT), sending])
    const reread = SessionRecord.deserialize(bounded)
    assert.ok(reread.haveOpenSession(), 'the session is still open')
    assert.equal(Object.keys(chainsOf(reread.serialize())).length, RECEIVING_CHAINS_KEPT + 1)
  })

  it('leaves a short conversation, and anything that is not a session record, as it is', () => {
    const { record } = recordAfter(3)
    assert.equal(boundSessionRecord(record), record)
    assert.equal(boundSessionRecord(null), null)
  })

  it('bounds the sessions written through the key store, and passes other keys through untouched', async () => {
    const written: unknown[] = []
    const keys = withBoundedSessions({ get: () => ({}), set: (data) => void written.push(data) })
    const { record } = recordAfter(12)
    const preKey = { public: randomBytes(32), private: randomBytes(32) }
    await keys.set({ session: { 'contact_1.0': record }, 'pre-key': { '1': preKey } })
    const [data] = written as { session: Record<string, unknown>; 'pre-key': Record<string, unknown> }[]
    assert.equal(Object.keys(chainsOf(data!.session['contact_1.0'])).length, RECEIVING_CHAINS_KEPT + 1)
    assert.equal(data!['pre-key']['1'], preKey)
  })
})
