import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { installSignal, type SignalLayer } from '../../emulator/signal/index.js'
import { pair, startEmulatedRuntime, type EmulatedRuntime } from '../support/emulated-runtime.js'

const OWNER = '15550001111'
const STRANGER = '15550009999'

describe('chat commands on the WhatsApp emulator', () => {
  let e: EmulatedRuntime
  let signal: SignalLayer
  before(async () => {
    e = await startEmulatedRuntime({ config: { owners: [OWNER] } })
    signal = installSignal(e.emulator.host, { timeoutMs: 5000 })
    e.emulator.addContact({ phone: OWNER, name: 'Owner' })
    e.emulator.addContact({ phone: STRANGER, name: 'Stranger' })
    e.emulator.addContact({ phone: '15550002222', name: 'Friend' })
    await pair(e)
  })
  after(async () => {
    signal.close()
    await e.close()
  })

  it('an owner creates a group with !creategroup and reads the reply', async () => {
    const owner = signal.contact(OWNER)
    const { id } = await owner.say('!creategroup "Team" 15550002222')
    const [reply] = await signal.repliesTo(id, { count: 1, timeoutMs: 30_000 })
    assert.match(reply?.text ?? '', /^✅ Created "Team" with 2 members\nGroup id: \d+@g\.us$/)
    const jid = /Group id: (\S+)/.exec(reply?.text ?? '')?.[1] ?? ''
    assert.equal(e.emulator.group(jid)?.subject, 'Team')
  })

  it('answers the next command after the socket dropped and came back', async () => {
    e.emulator.faults.dropConnection()
    await e.waitForState('connecting')
    await e.waitForState('open', 15_000)
    const { id } = await signal.contact(OWNER).say('!ping')
    const [reply] = await signal.repliesTo(id, { count: 1 })
    assert.equal(reply?.text, 'pong')
  })

  it('a stranger is refused in one line', async () => {
    const { id } = await signal.contact(STRANGER).say('!creategroup "Theirs" 15550002222')
    const [reply] = await signal.repliesTo(id, { count: 1 })
    assert.equal(reply?.text, "❌ Only the bot's owners may use !creategroup")
  })
})
