// Baileys stores a group sender's key as JSON, keys of skipped messages
// included; read back, those came out as { type: 'Buffer', data: [...] } and
// a group message that arrived after a later one from the same sender could
// never be decrypted ("Expected Buffer instead of: Object"). After a restart
// or reconnect messages arrive out of order often enough (the offline queue
// runs beside live messages), so the patch of Baileys makes them Buffers again.
import assert from 'node:assert/strict'
import { it } from 'node:test'
import { memorySignalRepository } from '../support/memory-signal-repository.js'

const GROUP = '120363000000000001@g.us'
const ALICE = '15550002222@s.whatsapp.net'

const repository = () => memorySignalRepository().repository

it('decrypts a group message that arrives after a later one from the same sender', async () => {
  const alice = repository()
  const bot = repository()
  const first = await alice.encryptGroupMessage({ group: GROUP, meId: ALICE, data: Buffer.from('first') })
  const second = await alice.encryptGroupMessage({ group: GROUP, meId: ALICE, data: Buffer.from('second') })
  await bot.processSenderKeyDistributionMessage({ item: { groupId: GROUP, axolotlSenderKeyDistributionMessage: first.senderKeyDistributionMessage }, authorJid: ALICE })

  // The later one first: the key of the skipped one is kept in the stored state.
  assert.equal(Buffer.from(await bot.decryptGroupMessage({ group: GROUP, authorJid: ALICE, msg: second.ciphertext })).toString(), 'second')
  assert.equal(Buffer.from(await bot.decryptGroupMessage({ group: GROUP, authorJid: ALICE, msg: first.ciphertext })).toString(), 'first')
})
