import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { definePlugin, type GroupEvent } from '../../core/index.js'
import { until } from '../support/emulated-runtime.js'
import { ALICE, BOB, CAROL, jidOf, startGroupWorld, type GroupWorld } from '../support/group-world.js'

describe('group events reach plugins, with readable ids', () => {
  const seen: GroupEvent[] = []
  // A welcome plugin in a few lines: greet whoever joins, by phone number.
  const welcome = definePlugin({
    name: 'test-welcome',
    version: '1.0.0',
    setup(plugin) {
      plugin.on('group', async (event) => {
        seen.push(event)
        if (event.type !== 'participants' || event.change !== 'joined') return
        const names = event.participants.map((p) => `@${p.jid.split('@')[0] ?? ''}`).join(' ')
        await plugin.whatsapp.sendText(event.group, `Welcome ${names}!`, { mentions: event.participants.map((p) => p.jid) })
      })
    },
  })
  let w: GroupWorld
  let group: string
  before(async () => {
    w = await startGroupWorld({ plugins: [welcome] })
    group = await w.theirGroup(ALICE, 'Events', [BOB], { botIsAdmin: true })
  })
  after(() => w.close())

  const next = async <T extends GroupEvent>(match: (e: GroupEvent) => e is T): Promise<T> => {
    await until(() => seen.some(match), 'a group event')
    const index = seen.findIndex(match)
    return seen.splice(index, 1)[0] as T
  }

  it('someone joins: the plugin gets their phone jid (lid beside it), who added them, and can greet them', async () => {
    w.emulator.participantsAs(ALICE, group, [CAROL], 'add')
    const joined = await next((e): e is Extract<GroupEvent, { type: 'participants' }> => e.type === 'participants' && e.change === 'joined')
    const carol = w.emulator.contact(CAROL)
    const alice = w.emulator.contact(ALICE)
    assert.deepEqual(joined, { type: 'participants', group, change: 'joined', participants: [{ jid: jidOf(CAROL), lid: carol?.lid }], by: { jid: jidOf(ALICE), lid: alice?.lid }, session: 'default' })
    const greeting = await w.signal.nextReply({ chat: group })
    assert.equal(greeting.text, `Welcome @${CAROL}!`)
  })

  it('promoted, demoted and left arrive as such', async () => {
    w.emulator.participantsAs(ALICE, group, [BOB], 'promote')
    w.emulator.participantsAs(ALICE, group, [BOB], 'demote')
    w.emulator.participantsAs(BOB, group, [BOB], 'remove')
    const changes = async (change: string) =>
      (await next((e): e is Extract<GroupEvent, { type: 'participants' }> => e.type === 'participants' && e.change === change)).participants.map((p) => p.jid)
    assert.deepEqual(await changes('promoted'), [jidOf(BOB)])
    assert.deepEqual(await changes('demoted'), [jidOf(BOB)])
    assert.deepEqual(await changes('left'), [jidOf(BOB)])
  })

  it('subject, description and settings changes arrive, also when they come together', async () => {
    w.emulator.updateGroupAs(ALICE, group, { subject: 'New subject', description: 'New description' })
    const isUpdate = (e: GroupEvent): e is Extract<GroupEvent, { type: 'updated' }> => e.type === 'updated'
    const first = await next(isUpdate)
    const second = await next(isUpdate)
    assert.deepEqual([first.subject, second.description], ['New subject', 'New description'])
    assert.equal(first.by?.jid, jidOf(ALICE))
    await w.request('PUT', `/groups/${group}/settings`, { only_admins_send: true, disappearing_seconds: 86400 })
    const announce = await next(isUpdate)
    const timer = await next(isUpdate)
    assert.deepEqual([announce.settings, timer.settings], [{ onlyAdminsSend: true }, { disappearingSeconds: 86400 }])
  })
})
