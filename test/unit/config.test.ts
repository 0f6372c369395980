import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, it } from 'node:test'
import { loadConfig } from '../../core/config.js'
import { built } from '../support/package.js'

const dir = path.resolve('config')

describe('configuration', () => {
  it('reads the defaults: port 7001, prefix !, no owners', () => {
    const config = loadConfig({ dir, env: {} })
    assert.equal(config.http.port, 7001)
    assert.deepEqual(config.chat.prefixes, ['!'])
    assert.deepEqual(config.owners, [])
    assert.equal(config.whatsapp.silentAfterSeconds, 30)
    assert.equal(config.chat.backlogSeconds, 300)
  })

  it('takes the backlog window from CHAT_BACKLOG_SECONDS', () => {
    assert.equal(loadConfig({ dir, env: { CHAT_BACKLOG_SECONDS: '0' } }).chat.backlogSeconds, 0)
    assert.equal(loadConfig({ dir, env: { CHAT_BACKLOG_SECONDS: '900' } }).chat.backlogSeconds, 900)
  })

  it('takes environment variables over the files', () => {
    const config = loadConfig({
      dir,
      env: { PORT: '8080', API_KEY: 'key-one-0123456789ab, key-two-0123456789ab', OWNERS: '+62 812-3456-7890,15550001111', WA_WS_URL: 'ws://127.0.0.1:9/ws/chat', LOG_LEVEL: 'debug', WA_SILENT_AFTER_SECONDS: '12' },
    })
    assert.equal(config.http.port, 8080)
    assert.deepEqual(config.http.apiKeys, ['key-one-0123456789ab', 'key-two-0123456789ab'])
    assert.deepEqual(config.owners, ['6281234567890@s.whatsapp.net', '15550001111@s.whatsapp.net'])
    assert.equal(config.whatsapp.wsUrl, 'ws://127.0.0.1:9/ws/chat')
    assert.equal(config.log.level, 'debug')
    assert.equal(config.whatsapp.silentAfterSeconds, 12)
  })

  it("reads local.json over waplug's own defaults, from a folder without a default.json (a bot's)", () => {
    const local = mkdtempSync(path.join(tmpdir(), 'waplug-config-'))
    writeFileSync(path.join(local, 'local.json'), JSON.stringify({ chat: { prefixes: ['.'] } }))
    const config = loadConfig({ dir: local, env: {} })
    assert.deepEqual(config.chat.prefixes, ['.'])
    assert.equal(config.http.port, 7001)
  })

  const bad: [Record<string, string>, string][] = [
    [{ PORT: 'abc' }, 'Invalid configuration: PORT (http.port) is "abc"; expected an integer from 0 to 65535'],
    [{ PORT: '70000' }, 'Invalid configuration: PORT (http.port) is 70000; expected an integer from 0 to 65535'],
    [{ LOG_LEVEL: 'loud' }, 'Invalid configuration: LOG_LEVEL (log.level) is "loud"; expected fatal, error, warn, info, debug, trace, silent'],
    [{ JWT_SECRET: 'short' }, 'Invalid configuration: JWT_SECRET (http.jwtSecret) is "short"; expected a secret of at least 32 characters'],
    [{ WA_WS_URL: 'http://x' }, 'Invalid configuration: WA_WS_URL (whatsapp.wsUrl) is "http://x"; expected a ws:// or wss:// URL'],
    [{ WA_SILENT_AFTER_SECONDS: '1' }, 'Invalid configuration: WA_SILENT_AFTER_SECONDS (whatsapp.silentAfterSeconds) is 1; expected whole seconds from 3 to 600'],
    [{ CHAT_BACKLOG_SECONDS: '5m' }, 'Invalid configuration: CHAT_BACKLOG_SECONDS (chat.backlogSeconds) is "5m"; expected seconds from 0 (answer nothing sent while the bot was offline) to 86400 (a day)'],
    [{ CHAT_BACKLOG_SECONDS: '-1' }, 'Invalid configuration: CHAT_BACKLOG_SECONDS (chat.backlogSeconds) is -1; expected seconds from 0 (answer nothing sent while the bot was offline) to 86400 (a day)'],
    [{ JWT_REQUIRE_EXP: 'maybe' }, 'Invalid configuration: JWT_REQUIRE_EXP (http.jwtRequireExp) is "maybe"; expected true or false'],
    [{ JWT_MAX_LIFETIME_SECONDS: '10' }, 'Invalid configuration: JWT_MAX_LIFETIME_SECONDS (http.jwtMaxLifetimeSeconds) is 10; expected whole seconds from 60 to 31536000 (a year)'],
    [{ OWNERS: 'bob' }, 'Invalid configuration: OWNERS (owners) is ["bob"]; expected phone numbers in international format, like 6281234567890'],
  ]
  for (const [env, line] of bad) {
    it(`names the key, value and what is allowed for ${JSON.stringify(env)}`, () => {
      assert.throws(() => loadConfig({ dir, env }), { name: 'StartupError', message: line })
    })
  }

  it('names an unknown key in local.json', () => {
    const local = mkdtempSync(path.join(tmpdir(), 'waplug-config-'))
    writeFileSync(path.join(local, 'local.json'), JSON.stringify({ ...loadConfig({ dir, env: {} }), prot: 1 }))
    assert.throws(() => loadConfig({ dir: local, env: {} }), { message: /^Invalid configuration: Unknown field 'prot'/ })
  })

  it('npm start with a bad value exits non-zero with one line and no stack trace', () => {
    const run = spawnSync(process.execPath, [built('core/main.js')], { env: { ...process.env, PORT: 'abc' }, encoding: 'utf8', timeout: 30000 })
    assert.equal(run.status, 1)
    assert.equal(run.stderr, 'Invalid configuration: PORT (http.port) is "abc"; expected an integer from 0 to 65535\n')
  })
})
