import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { OWNER, startHarness, type Harness } from '../support/harness.js'

const STRANGER = '15559998888@s.whatsapp.net'

describe('chat commands', () => {
  let h: Harness
  before(async () => {
    h = await startHarness({ config: { chat: { prefixes: ['!', '/'] } } })
  })
  after(() => h.close())

  it('!creategroup takes a quoted name, spaced numbers and jids, and replies quoting the command', async () => {
    const replies = await h.say('!creategroup "My Group" +62 812-3456-7890 6289876543210@s.whatsapp.net')
    assert.equal(replies.length, 1)
    assert.match(replies[0] ?? '', /^✅ Created "My Group" with 3 members\nGroup id: \d+@g\.us$/)
    assert.deepEqual(h.whatsapp.calls.at(-1)?.args, ['My Group', ['6281234567890@s.whatsapp.net', '6289876543210@s.whatsapp.net']])
    const sent = h.whatsapp.sent.at(-1)
    assert.equal(sent?.chat, OWNER)
    assert.match(sent?.quotedId ?? '', /^MSG\d+$/)
  })

  it('takes smart quotes, a backslash escape, and @mentions as participants', async () => {
    await h.say('!creategroup “Team \\"A\\"” @6281111111111 @123456789', { mentions: ['6281111111111@s.whatsapp.net', '123456789@lid'] })
    assert.deepEqual(h.whatsapp.calls.at(-1)?.args, ['Team "A"', ['6281111111111@s.whatsapp.net', '123456789@lid']])
  })

  it('matches commands case-insensitively, by alias, and with any configured prefix', async () => {
    for (const line of ['!CreateGroup Upper 15550002222', '/newgroup Alias 15550002222']) {
      const [reply] = await h.say(line)
      assert.match(reply ?? '', /^✅ Created/, line)
    }
  })

  it('adds the sender when no participant is named', async () => {
    await h.say('!creategroup Solo')
    assert.deepEqual(h.whatsapp.calls.at(-1)?.args, ['Solo', [OWNER]])
  })

  it('tells who was not added and why', async () => {
    h.whatsapp.refusals.set('15550003333@s.whatsapp.net', 403)
    const [reply] = await h.say('!creategroup Partial 15550003333 15550004444')
    assert.match(reply ?? '', /• 15550003333 was not added: their privacy settings only let their contacts add them to groups/)
  })

  it('answers a validation error in words, with a usage line', async () => {
    const usage = '\nUsage: !creategroup <name> [participants...] [--send-invite]'
    assert.deepEqual(await h.say('!creategroup'), [`❌ Group name is required${usage}`])
    assert.deepEqual(await h.say('!creategroup Team 15550002222 Bob'), [`❌ 'Bob' looks like a name: write people as phone numbers (like +62 812 3456 7890) or @mention them${usage}`])
    assert.deepEqual(await h.say('!creategroup Team 12'), [`❌ '12' is not a phone number or WhatsApp id${usage}`])
  })

  it('refuses a non-owner in one line, without running anything', async () => {
    const calls = h.whatsapp.calls.length
    assert.deepEqual(await h.say('!creategroup Team 15550002222', { sender: STRANGER, chat: STRANGER }), ["❌ Only the bot's owners may use !creategroup"])
    assert.deepEqual(await h.say('!creategroup', { sender: STRANGER, chat: STRANGER }), ["❌ Only the bot's owners may use !creategroup"])
    assert.equal(h.whatsapp.calls.length, calls)
  })

  it('never answers its own messages; from the offline backlog, only what is younger than chat.backlogSeconds', async () => {
    const now = Math.floor(Date.now() / 1000)
    assert.deepEqual(await h.say('!ping', { fromMe: true }), [])
    assert.deepEqual(await h.say('!ping', { backlog: true, timestamp: now - 3600 }), [])
    assert.deepEqual(await h.say('!ping', { backlog: true, timestamp: now - 60 }), ['pong'])
    // A live message is answered whatever its clock says.
    assert.deepEqual(await h.say('!ping', { timestamp: now - 3600 }), ['pong'])
  })

  it('a command that takes no words says so plainly; extra words elsewhere are named', async () => {
    assert.deepEqual(await h.say('!ping are you there'), ['❌ !ping takes no words after it; send it alone\nUsage: !ping'])
    assert.deepEqual(await h.say('/PING now'), ['❌ /ping takes no words after it; send it alone\nUsage: /ping'])
    assert.deepEqual(await h.say('!groupinfo 120363000000000001@g.us now please'), ["❌ Too many words: 'now please' is more than !groupinfo takes\nUsage: !groupinfo [group] [--refresh]"])
  })

  it('ignores text without a prefix, and unknown commands in groups', async () => {
    assert.deepEqual(await h.say('hello there'), [])
    assert.deepEqual(await h.say('!dance', { chat: '120363000000000099@g.us' }), [])
    assert.deepEqual(await h.say('!dance'), ["I don't know !dance. Send !help to see what I can do."])
  })

  it('!groupinfo in a group describes that group; elsewhere it needs the id', async () => {
    const [created] = await h.say('!creategroup Described 15550002222')
    const jid = /Group id: (\S+)/.exec(created ?? '')?.[1] ?? ''
    const [inGroup] = await h.say('!groupinfo', { chat: jid })
    assert.match(inGroup ?? '', /^\*Described\*\nId: \d+@g\.us\nOwner: 15550000001\nMembers: 2 \(1 admin\)\nAdmins: 15550000001\nOther members: 15550002222\n/)
    const [byId] = await h.say(`!groupinfo ${jid}`)
    assert.equal(byId, inGroup)
    assert.deepEqual(await h.say('!groupinfo'), ["❌ Say which group: send the command in that group, or put the group's id first\nUsage: !groupinfo [group] [--refresh]"])
    assert.deepEqual(await h.say('!groupinfo 120363999999999999@g.us'), ['❌ Group not found'])
  })

  it('!groupinfo names the admins and the members, the first 20 of each', async () => {
    const people = Array.from({ length: 25 }, (_, i) => `1555100${String(i).padStart(4, '0')}@s.whatsapp.net`)
    const { group } = await h.whatsapp.groups.create('Crowd', people)
    const [reply] = await h.say(`!groupinfo ${group.jid}`)
    const shown = people.slice(0, 20).map((jid) => jid.split('@')[0]).join(', ')
    assert.match(reply ?? '', new RegExp(`\nMembers: 26 \\(1 admin\\)\nAdmins: 15550000001\nOther members: ${shown} and 5 more\n`))
  })

  it('!creategroup with many numbers WhatsApp refuses answers one line per reason, naming the first few', async () => {
    const nobody = Array.from({ length: 300 }, (_, i) => `1555200${String(i).padStart(4, '0')}`)
    for (const phone of nobody) h.whatsapp.refusals.set(`${phone}@s.whatsapp.net`, 404)
    h.whatsapp.refusals.set('15553000001@s.whatsapp.net', 403)
    const [reply] = await h.say(`!creategroup Many ${nobody.join(' ')} 15553000001 15550002222`)
    const lines = (reply ?? '').split('\n')
    assert.equal(lines.length, 4, reply)
    assert.match(lines[0] ?? '', /^✅ Created "Many" with 2 members$/)
    assert.equal(lines[2], `• 300 people were not added: not on WhatsApp (${nobody.slice(0, 10).join(', ')} and 290 more)`)
    assert.match(lines[3] ?? '', /^• 15553000001 was not added: their privacy settings/)
  })

  it('!help lists only the commands the caller may run; !help <command> explains one', async () => {
    const [owner] = await h.say('!help')
    assert.match(owner ?? '', /!creategroup <name> \[participants\.\.\.\] \[--send-invite\] — Create a group/)
    assert.match(owner ?? '', /!ping — Check that the bot answers/)
    const [stranger] = await h.say('!help', { sender: STRANGER, chat: STRANGER })
    assert.doesNotMatch(stranger ?? '', /creategroup/)
    assert.match(stranger ?? '', /!help \[command\]/)
    assert.deepEqual(await h.say('!help creategroup'), ['!creategroup <name> [participants...] [--send-invite]\nCreate a group with the given participants\nAlso: newgroup'])
    assert.deepEqual(await h.say('!help creategroup', { sender: STRANGER, chat: STRANGER }), ["❌ There is no command 'creategroup' you may use; send !help alone for the list"])
    assert.deepEqual(await h.say('/help nosuch'), ["❌ There is no command 'nosuch' you may use; send !help alone for the list"])
  })

  it('!help explains !confirm too, to anyone', async () => {
    const confirm = ['!confirm\nGo ahead with the command I just asked you about; send it within 30 s, in the same chat']
    assert.deepEqual(await h.say('!help confirm'), confirm)
    assert.deepEqual(await h.say('!help confirm', { sender: STRANGER, chat: STRANGER }), confirm)
  })

  it('usage lines show the options, a group as [group], and an invite as <link>', async () => {
    const usage = async (command: string) => (await h.say(`!help ${command}`))[0]?.split('\n')[0]
    assert.equal(await usage('add'), '!add [group] <participants...> [--send-invite]')
    assert.equal(await usage('groupinfo'), '!groupinfo [group] [--refresh]')
    assert.match((await usage('settings')) ?? '', /^!settings \[group\] /)
    assert.equal(await usage('preview'), '!preview <link>')
    assert.equal(await usage('join'), '!join <link>')
    assert.equal(await usage('groups'), '!groups [--refresh]')
    assert.equal(await usage('setname'), '!setname [group] <name...>')
    assert.deepEqual(await h.say('!creategroup Team 15550002222 --send-invites'), [
      "❌ Unknown option '--send-invites'; the options are --send-invite\nUsage: !creategroup <name> [participants...] [--send-invite]",
    ])
    assert.deepEqual(await h.say('!help --all'), ["❌ Unknown option '--all'; this command takes none\nUsage: !help [command]"])
  })

  it('keeps the answers to commands taken while WhatsApp is disconnected, and sends them in order once it is back', async () => {
    const before = h.whatsapp.sent.length
    h.whatsapp.setState('connecting')
    try {
      assert.deepEqual(await h.say('!help ping', { id: 'AWAY1' }), [])
      assert.deepEqual(await h.say('!ping', { id: 'AWAY2' }), [])
    } finally {
      h.whatsapp.setState('open')
    }
    await h.runtime.idle()
    assert.deepEqual(
      h.whatsapp.sent.slice(before).map((s) => [s.quotedId, s.text]),
      [
        ['AWAY1', '!ping\nCheck that the bot answers'],
        ['AWAY2', 'pong'],
      ],
    )
  })
})

describe('chat access configuration', () => {
  it('lets everyone run a command the config opens up', async () => {
    const h = await startHarness({ config: { chat: { access: { creategroup: 'everyone' } } } })
    try {
      const [reply] = await h.say('!creategroup Open 15550002222', { sender: STRANGER, chat: STRANGER })
      assert.match(reply ?? '', /^✅ Created "Open"/)
    } finally {
      await h.close()
    }
  })

  it('runs commands typed on the bot’s own phone, as an owner, when selfCommands is on', async () => {
    const h = await startHarness({ config: { chat: { selfCommands: true }, owners: [] } })
    try {
      const self = { fromMe: true, sender: h.whatsapp.me?.jid ?? '', chat: '15550002222@s.whatsapp.net' }
      assert.deepEqual(await h.say('!ping', self), ['pong'])
      const [reply] = await h.say('!creategroup Mine 15550002222', self)
      assert.match(reply ?? '', /^✅ Created "Mine"/)
    } finally {
      await h.close()
    }
  })
})
