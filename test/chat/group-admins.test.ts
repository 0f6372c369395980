import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { startHarness, type Harness } from '../support/harness.js'

const ADMIN = '15550007777@s.whatsapp.net'
const MEMBER = '15550008888@s.whatsapp.net'

describe('chat access "admins": owners anywhere, a group\'s admins inside that group', () => {
  let h: Harness
  let group: string
  let otherGroup: string
  before(async () => {
    h = await startHarness({ config: { chat: { access: { groupinfo: 'admins' } } } })
    group = (await h.whatsapp.groups.create('Admins here', [ADMIN, MEMBER])).group.jid
    otherGroup = (await h.whatsapp.groups.create('Elsewhere', [ADMIN])).group.jid
    const admin = h.whatsapp.known.get(group)?.participants.find((p) => p.jid === ADMIN)
    assert.ok(admin)
    admin.isAdmin = true
  })
  after(() => h.close())

  it('lets a group admin run the command in their group', async () => {
    const [reply] = await h.say('!groupinfo', { sender: ADMIN, chat: group })
    assert.match(reply ?? '', /Admins here/)
  })

  it('refuses a plain member, and the admin in a group where they are not admin, and in private', async () => {
    const refusal = "❌ Only the bot's owners and the group's admins may use !groupinfo, and admins only inside their group"
    assert.deepEqual(await h.say('!groupinfo', { sender: MEMBER, chat: group }), [refusal])
    assert.deepEqual(await h.say('!groupinfo', { sender: ADMIN, chat: otherGroup }), [refusal])
    assert.deepEqual(await h.say(`!groupinfo ${group}`, { sender: ADMIN, chat: ADMIN }), [refusal])
  })
})
