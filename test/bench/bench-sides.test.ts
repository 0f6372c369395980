import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { sideNames } from '../../bench/bench.js'
import { parseOptions } from '../../bench/options.js'

// The issue wants the LMDB/file-store chat ratio in every `npm run bench`; the cache comparison costs a fourth bot, so it waits for --stores.
describe('which bots a bench run starts', () => {
  it('runs the runtime on the file store by default, and on LMDB behind the key cache with --stores', () => {
    assert.deepEqual(sideNames(parseOptions([])), ['runtime', 'raw', 'files'])
    assert.deepEqual(sideNames(parseOptions(['--stores'])), ['runtime', 'raw', 'files', 'lmdb-cached'])
  })

  it('leaves the stores out of an A/A run, and refuses --aa with --stores', () => {
    assert.deepEqual(sideNames(parseOptions(['--aa'])), ['runtime', 'raw'])
    assert.throws(() => parseOptions(['--aa', '--stores']), /do not go together/)
  })

  it('adds the BuilderBot peer and the raw bot on Baileys as published with --peers, and refuses them in an A/A run', () => {
    assert.deepEqual(sideNames(parseOptions(['--peers'])), ['runtime', 'raw', 'files', 'builderbot', 'published'])
    assert.throws(() => parseOptions(['--aa', '--peers']), /--peers adds a row/)
  })

  it('takes --soak as a run of its own, spread over many chats by default', () => {
    const soak = parseOptions(['--soak', '2000'])
    assert.equal(soak.soak, 2000)
    assert.ok(soak.contacts > parseOptions([]).contacts, 'a soak writes from many contacts')
    assert.equal(parseOptions(['--soak', '2000', '--groups', '5']).groups, 5)
    assert.throws(() => parseOptions(['--soak', '2000', '--peers']), /--soak is a run of its own/)
    assert.throws(() => parseOptions(['--groups', '3']), /--groups goes with --soak/)
  })
})
