import assert from 'node:assert/strict'
import path from 'node:path'
import { PassThrough } from 'node:stream'
import { describe, it } from 'node:test'
import { pino } from 'pino'
import { loadConfig } from '../../core/config.js'
import { createLogger } from '../../core/logger.js'
import { captureStream } from '../support/capture.js'
import { startHarness } from '../support/harness.js'

const dir = path.resolve('config')

describe('configuration a person may get slightly wrong', () => {
  it('takes log levels in any case', () => {
    const config = loadConfig({ dir, env: { LOG_LEVEL: 'DEBUG', WA_LOG_LEVEL: 'Error' } })
    assert.equal(config.log.level, 'debug')
    assert.equal(config.whatsapp.logLevel, 'error')
  })

  it('writes pretty logs without colour codes to what is not a terminal', () => {
    const out = new PassThrough()
    let written = ''
    out.on('data', (chunk: Buffer) => (written += chunk.toString()))
    createLogger({ log: { level: 'info', pretty: true } }, out).info('hello there')
    assert.match(written, /INFO.*hello there/)
    assert.ok(!written.includes('\u001b['), 'no colour codes')
  })

  it('warns about unknown command names in chat.access and unknown plugin names in chat.allow and disabledPlugins, once the plugins are loaded', async () => {
    const { stream, text } = captureStream()
    const h = await startHarness({
      logger: pino({ level: 'warn' }, stream),
      config: {
        chat: { access: { creategroup: 'everyone', creatgroup: 'everyone', '!help': 'everyone' }, allow: { group: ['15550002222'], groups: ['15550003333'] } },
        disabledPlugins: ['hlep'],
        sessions: { startConcurrency: 4, settings: { sales: { disabledPlugins: ['grops'] } } },
      },
    })
    await h.close()
    const warnings = text()
      .split('\n')
      .filter(Boolean)
      .map((line) => (JSON.parse(line) as { msg: string }).msg)
    assert.deepEqual(warnings, [
      "disabledPlugins names the plugin 'hlep', which is not loaded (loaded: groups, help, messages); check the name",
      "chat.allow names the plugin 'group', which is not loaded (loaded: groups, help, messages); check the name",
      "sessions.settings.sales.disabledPlugins names the plugin 'grops', which is not loaded (loaded: groups, help, messages); check the name",
      "chat.access names the command 'creatgroup', which no running plugin offers; check the name (without the prefix)",
      "chat.access names the command '!help', which no running plugin offers; check the name (without the prefix)",
    ])
  })

  it('does not warn about a plugin that is disabled on purpose', async () => {
    const { stream, text } = captureStream()
    const h = await startHarness({ logger: pino({ level: 'warn' }, stream), config: { disabledPlugins: ['help'], chat: { allow: { help: ['15550002222'] } } } })
    await h.close()
    assert.equal(text(), '')
  })
})
