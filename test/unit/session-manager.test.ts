// The set of sessions: stored ones come back, and start-up connects them a
// few at a time so a hundred numbers do not stampede WhatsApp.
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, it } from 'node:test'
import { pino } from 'pino'
import { loadConfig, type Config } from '../../core/config.js'
import { SessionManager } from '../../core/sessions/manager.js'
import { Storage } from '../../core/storage/storage.js'
import { FakeWhatsApp } from '../support/fake-whatsapp.js'

let dir: string
let storage: Storage
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'waplug-sessions-'))
  storage = new Storage(path.join(dir, 'store'))
})
afterEach(async () => {
  await storage.close()
  rmSync(dir, { recursive: true, force: true })
})

/** A connection that takes a moment to open, counting how many are opening at once. */
function slowConnections() {
  let opening = 0
  const counts = { most: 0, started: [] as string[] }
  const connect = ({ id }: { id: string }) => {
    const fake = new FakeWhatsApp()
    fake.setState('closed')
    fake.start = async () => {
      counts.started.push(id)
      opening++
      counts.most = Math.max(counts.most, opening)
      fake.setState('connecting')
      setTimeout(() => {
        opening--
        fake.setState('open')
      }, 30)
    }
    return fake
  }
  return { connect, counts }
}

function manager(config: Config, connect: ReturnType<typeof slowConnections>['connect']): SessionManager {
  return new SessionManager({ config, logger: pino({ level: 'silent' }), auth: storage.authStore(), records: () => storage.forRuntime('sessions'), connect })
}

it('stores sessions created at run time and connects them all at the next start, at most startConcurrency at once', async () => {
  const config = loadConfig({ env: {}, overrides: { sessions: { startConcurrency: 2, settings: {} } } })
  const first = manager(config, slowConnections().connect)
  for (const id of ['a', 'b', 'c', 'd', 'e']) await first.create({ id })

  const { connect, counts } = slowConnections()
  const second = manager(config, connect)
  await second.load()
  assert.deepEqual(second.list().map((s) => s.id), ['default', 'a', 'b', 'c', 'd', 'e'])
  await second.startAll()
  await second.allStarted()
  assert.deepEqual(counts.started, ['default', 'a', 'b', 'c', 'd', 'e'])
  assert.equal(counts.most, 2, 'never more than two connecting at once')
  assert.ok(second.list().every((s) => s.state === 'open'))
  await second.stopAll()
})

it('refuses a bad or taken id, and deleting default, with what to do instead', async () => {
  const sessions = manager(loadConfig({ env: {} }), slowConnections().connect)
  await assert.rejects(sessions.create({ id: 'Shop 1' }), /Session id 'Shop 1' is not valid: use lower-case letters, digits, _ and -/)
  await sessions.create({ id: 'shop' })
  await assert.rejects(sessions.create({ id: 'shop' }), /Session 'shop' already exists/)
  await assert.rejects(sessions.remove('default'), /The default session cannot be deleted.*POST \/sessions\/default\/logout/)
  await assert.rejects(sessions.remove('nobody'), /There is no session 'nobody'/)
})
