import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { Emulator } from '../../emulator/index.js'
import { handleLine, type PromptDeps, type PromptState } from '../../emulator/sandbox/prompt.js'
import type { SignalLayer } from '../../emulator/signal/index.js'

const BOT = '15550000001'
const team = { jid: '120363000000000001@g.us', subject: 'Team', participants: [BOT, '15550001111', '15550002222'].map((phone) => ({ phone })) }
const botless = { jid: '120363000000000002@g.us', subject: 'Botless', participants: ['15550001111'].map((phone) => ({ phone })) }
const theirs = { jid: '120363000000000003@g.us', subject: 'Theirs', participants: [BOT, '15550002222'].map((phone) => ({ phone })) }

/** The prompt with an emulator that has two groups and contacts whose messages the bot never answers. */
function sandbox() {
  const printed: string[] = []
  const sent: { as: string; text: string; group?: string }[] = []
  const groups = [team, botless, theirs]
  const emulator = { groups: () => groups, group: (jid: string) => groups.find((g) => g.jid === jid) } as unknown as Emulator
  const signal = {
    contact: (as: string) => ({
      say: (text: string, opts: { group?: string }) => {
        sent.push({ as, text, ...opts })
        return Promise.resolve({ id: `m${sent.length}` })
      },
    }),
    repliesTo: () => Promise.reject(new Error('timed out')),
  } as unknown as SignalLayer
  const deps: PromptDeps = { emulator, signal, prefixes: ['!'], print: (line) => printed.push(line), botPhone: BOT, replyTimeoutMs: 50 }
  const state: PromptState = { as: '15550001111', group: undefined }
  return { state, printed, sent, line: (text: string) => handleLine(text, state, deps) }
}

describe('the sandbox prompt', () => {
  it('speaks to You as "you are"', async () => {
    const s = sandbox()
    await s.line(':in Theirs')
    assert.deepEqual(s.printed, ['You are not in "Theirs", so cannot write in it; :as one of its members (Alice) first, or add You to it'])
  })

  it('does not let a contact write in a group they are not in', async () => {
    const s = sandbox()
    await s.line(':as Bob')
    await s.line(':in Team')
    assert.equal(s.state.group, undefined)
    assert.deepEqual(s.printed, ['Bob is not in "Team", so cannot write in it; :as one of its members (You, Alice) first, or add Bob to it'])

    await s.line(':as Alice')
    await s.line(':in Team')
    assert.equal(s.state.group, team.jid)
    s.printed.length = 0
    await s.line(':as Bob')
    assert.equal(s.state.group, undefined, 'switching to a non-member goes back to the private chat')
    assert.deepEqual(s.printed, ['(Bob is not in "Team"; back to the private chat)'])
  })

  it('does not send for a contact no longer in the group, and says why', async () => {
    const s = sandbox()
    s.state.as = '15550003333'
    s.state.group = team.jid
    await s.line('!help')
    assert.deepEqual(s.sent, [])
    assert.deepEqual(s.printed, ['(not sent: Bob is not in "Team", and WhatsApp delivers nothing from a non-member; :as one of its members (You, Alice) or :private)'])
  })

  it('says why there was no reply', async () => {
    const s = sandbox()
    await s.line(':in Botless')
    await s.line('!help')
    await s.line(':private')
    await s.line('!help')
    assert.equal(s.sent.length, 2)
    assert.deepEqual(s.printed, [
      '(no reply from the bot within 0.05 s: the bot is not in "Botless")',
      '(no reply from the bot within 0.05 s: it did not answer; start the sandbox with --logs (or LOG_LEVEL=info) to see what it did with the message)',
    ])
  })
})
