import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { chatJidOf } from '../../core/index.js'
import { normalizeJid } from '../../core/whatsapp/jids.js'

describe('where a message goes (chatJidOf)', () => {
  it('reads a phone number in every common shape', () => {
    for (const input of ['+49 170 1234567', '+49 (170) 123-4567', '0049 170 1234567', '491701234567', '@491701234567', ' 49.170.1234567 ']) {
      assert.deepEqual(chatJidOf(input), { jid: '491701234567@s.whatsapp.net' }, input)
    }
  })

  it('takes jids as they are, devices and c.us made plain', () => {
    assert.deepEqual(chatJidOf('491701234567@s.whatsapp.net'), { jid: '491701234567@s.whatsapp.net' })
    assert.deepEqual(chatJidOf('491701234567:3@s.whatsapp.net'), { jid: '491701234567@s.whatsapp.net' })
    assert.deepEqual(chatJidOf('491701234567@c.us'), { jid: '491701234567@s.whatsapp.net' })
    assert.deepEqual(chatJidOf('123456789012345@lid'), { jid: '123456789012345@lid' })
    assert.deepEqual(chatJidOf('120363012345678901@g.us'), { jid: '120363012345678901@g.us' })
    assert.deepEqual(chatJidOf('120363012345678901'), { jid: '120363012345678901@g.us' }, 'a bare group id is longer than any phone number')
    assert.deepEqual(chatJidOf('4917012345-1600000000'), { jid: '4917012345-1600000000@g.us' }, 'an old-style group id')
  })

  it('refuses what it cannot place, saying how to write it', () => {
    const error = (input: string) => (chatJidOf(input) as { error: string }).error
    assert.match(error('0170 1234567'), /^'0170 1234567' has no country code \(a number starting with a single 0 is dialled within a country\); write a phone number with its country code \(\+49 170 1234567\)/)
    assert.match(error('alice'), /^'alice' is not a phone number or WhatsApp id; /)
    assert.match(error('12345'), /^'12345' is not a phone number or WhatsApp id; /, 'too short for a subscriber number')
    assert.match(error('bob@example.com'), /^'bob@example.com' is not a WhatsApp id; /)
    assert.match(error(''), /^no recipient given; /)
  })
})

describe('a jid made plain (normalizeJid)', () => {
  it('drops the device and turns c.us into s.whatsapp.net, and leaves a plain jid and anything else as it is', () => {
    const cases: [string, string][] = [
      ['491701234567:12@s.whatsapp.net', '491701234567@s.whatsapp.net'],
      ['491701234567@c.us', '491701234567@s.whatsapp.net'],
      ['491701234567:3@c.us', '491701234567@s.whatsapp.net'],
      ['123456789012345:7@lid', '123456789012345@lid'],
      ['491701234567@s.whatsapp.net', '491701234567@s.whatsapp.net'],
      ['120363012345678901@g.us', '120363012345678901@g.us'],
      ['status@broadcast', 'status@broadcast'],
      ['491701234567', '491701234567'],
      ['', ''],
    ]
    for (const [jid, plain] of cases) assert.equal(normalizeJid(jid), plain, jid)
  })
})
