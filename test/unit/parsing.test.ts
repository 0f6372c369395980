import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { joinPhoneFragments, mapWords } from '../../core/chat/arguments.js'
import { scan, tokenize } from '../../core/chat/tokenizer.js'
import { toGroupJid, toUserJid } from '../../core/whatsapp/jids.js'
import { decideReconnect } from '../../core/whatsapp/reconnect-policy.js'
import { parseGroupNode } from '../../core/whatsapp/groups/group-node.js'
import type { BinaryNode } from '@whiskeysockets/baileys'

describe('tokenizer', () => {
  const cases: [string, string[]][] = [
    ['creategroup Team 123', ['creategroup', 'Team', '123']],
    ['  spaced   out  ', ['spaced', 'out']],
    ['"My Group" x', ['My Group', 'x']],
    ['“Smart quotes” x', ['Smart quotes', 'x']],
    ['”Both closing” x', ['Both closing', 'x']],
    ['say \\"hi\\" a\\ b', ['say', '"hi"', 'a b']],
    ['"" empty', ['', 'empty']],
    ['"unclosed quote runs on', ['unclosed quote runs on']],
    ["Bob's group", ["Bob's", 'group']],
    ['a\\\\b', ['a\\b']],
  ]
  for (const [line, words] of cases) it(JSON.stringify(line), () => assert.deepEqual(tokenize(line), words))
})

describe('free text at the end of a command', () => {
  const schema = {
    type: 'object',
    properties: { jid: { type: 'string', format: 'wa-group' }, description: { type: 'string' }, loud: { type: 'boolean' } },
  }
  const binding = { command: 'setdesc', args: ['jid', '...description'], fromChat: () => ({}) }
  const words = (line: string) => ({ line, tokens: scan(line) })
  const text = (line: string) => {
    const mapped = mapWords(words(line), binding, schema, [])
    return mapped.ok ? mapped.input : mapped.error
  }

  it('keeps the text exactly as typed: quotes, runs of spaces, backslashes, lines and words like options', () => {
    assert.deepEqual(text('Where we "plan" things'), { description: 'Where we "plan" things' })
    assert.deepEqual(text('two  spaces, a\\backslash'), { description: 'two  spaces, a\\backslash' })
    assert.deepEqual(text('Line one\n  line two --loud'), { description: 'Line one\n  line two --loud' })
    assert.deepEqual(text('120363123456789012@g.us  “Smart” quotes'), { jid: '120363123456789012@g.us', description: '“Smart” quotes' })
  })

  it('takes one quoted stretch without its quotes, and options before the text', () => {
    assert.deepEqual(text('"The New Name"'), { description: 'The New Name' })
    assert.deepEqual(text('""'), { description: '' })
    assert.deepEqual(text('--loud Hello  there'), { loud: true, description: 'Hello  there' })
  })
})

describe('phone numbers and ids', () => {
  it('joins the digit groups of a number written with a +', () => {
    assert.deepEqual(joinPhoneFragments(['+62', '812-3456-7890', '6289876543210@s.whatsapp.net']), ['+62812-3456-7890', '6289876543210@s.whatsapp.net'])
    assert.deepEqual(joinPhoneFragments(['+1', '555', '000', '2222', '+44', '7700', '900123']), ['+15550002222', '+447700900123'])
    assert.deepEqual(joinPhoneFragments(['15550002222', '15550003333']), ['15550002222', '15550003333'])
  })

  const users: [string, string | undefined][] = [
    ['+62 812-3456-7890', '6281234567890@s.whatsapp.net'],
    ['0062 812 3456 7890', '6281234567890@s.whatsapp.net'],
    ['(555) 000-2222 1', '55500022221@s.whatsapp.net'],
    ['@6281234567890', '6281234567890@s.whatsapp.net'],
    ['6281234567890@c.us', '6281234567890@s.whatsapp.net'],
    ['6281234567890:12@s.whatsapp.net', '6281234567890@s.whatsapp.net'],
    ['123456789012345@lid', '123456789012345@lid'],
    ['abc', undefined],
    ['12345', undefined],
    ['1234567890123456', undefined],
    ['120363123456789012@g.us', undefined],
  ]
  for (const [input, jid] of users) it(`user ${input} → ${String(jid)}`, () => assert.equal(toUserJid(input), jid))

  it('reads group ids with or without @g.us', () => {
    assert.equal(toGroupJid('120363123456789012@g.us'), '120363123456789012@g.us')
    assert.equal(toGroupJid('120363123456789012'), '120363123456789012@g.us')
    assert.equal(toGroupJid('6281234567890-1702129024'), '6281234567890-1702129024@g.us')
    assert.equal(toGroupJid('hello'), undefined)
  })
})

describe('reconnect policy', () => {
  it('restarts at once on 515, re-pairs on 401 and 403, stops on 440', () => {
    assert.deepEqual(decideReconnect(515, 3), { action: 'restart' })
    assert.equal(decideReconnect(401, 0).action, 're-pair')
    assert.equal(decideReconnect(403, 0).action, 're-pair')
    assert.equal(decideReconnect(440, 0).action, 'stop')
  })

  it('backs off exponentially with jitter, capped at 30 s', () => {
    const delay = (attempt: number, random: number) => {
      const decision = decideReconnect(428, attempt, () => random)
      return decision.action === 'retry' ? decision.delayMs : -1
    }
    assert.equal(delay(0, 1), 1000)
    assert.equal(delay(0, 0), 500)
    assert.equal(delay(3, 1), 8000)
    assert.equal(delay(20, 1), 30000)
  })
})

describe('group node', () => {
  it('reports phone numbers for LID participants, keeps the lid beside, lists refusals with their invite, and reads the settings', () => {
    const node: BinaryNode = {
      tag: 'iq',
      attrs: {},
      content: [
        {
          tag: 'group',
          attrs: { id: '120363123456789012', subject: 'Team', creation: '1702129024', creator: '900000001@lid', creator_pn: '15550000001@s.whatsapp.net', addressing_mode: 'lid' },
          content: [
            { tag: 'participant', attrs: { jid: '900000001@lid', phone_number: '15550000001@s.whatsapp.net', type: 'superadmin' } },
            { tag: 'participant', attrs: { jid: '900000002@lid', phone_number: '15550002222@s.whatsapp.net' } },
            {
              tag: 'participant',
              attrs: { jid: '900000003@lid', phone_number: '15550003333@s.whatsapp.net', error: '403' },
              content: [{ tag: 'add_request', attrs: { code: 'AbC123', expiration: '1702388224' } }],
            },
            { tag: 'participant', attrs: { jid: '15550004444@s.whatsapp.net', error: '404' } },
            { tag: 'announcement', attrs: {} },
            { tag: 'member_add_mode', attrs: {}, content: Buffer.from('all_member_add') },
            { tag: 'membership_approval_mode', attrs: {}, content: [{ tag: 'group_join', attrs: { state: 'on' } }] },
            { tag: 'ephemeral', attrs: { expiration: '604800' } },
            { tag: 'description', attrs: { id: 'd1' }, content: [{ tag: 'body', attrs: {}, content: Buffer.from('About us') }] },
          ],
        },
      ],
    }
    const parsed = parseGroupNode(node)
    assert.deepEqual(parsed, {
      group: {
        jid: '120363123456789012@g.us',
        subject: 'Team',
        description: 'About us',
        descriptionId: 'd1',
        owner: '15550000001@s.whatsapp.net',
        createdAt: 1702129024,
        size: 2,
        participants: [
          { jid: '15550000001@s.whatsapp.net', lid: '900000001@lid', isAdmin: true, isSuperAdmin: true },
          { jid: '15550002222@s.whatsapp.net', lid: '900000002@lid', isAdmin: false, isSuperAdmin: false },
        ],
        settings: { onlyAdminsSend: true, onlyAdminsEdit: false, onlyAdminsAdd: false, joinApproval: true, disappearingSeconds: 604800 },
        addressingMode: 'lid',
      },
      failed: [
        { jid: '15550003333@s.whatsapp.net', lid: '900000003@lid', code: 403, invite: { code: 'AbC123', expiration: 1702388224 } },
        { jid: '15550004444@s.whatsapp.net', code: 404 },
      ],
    })
  })
})
