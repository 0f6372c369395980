// Chat commands while the connection fails: the runtime with the real Baileys
// client on the emulator, over a real socket, several contacts writing while
// the socket drops, WhatsApp asks for a restart (515) and queries are slow.
import assert from 'node:assert/strict'
import { it } from 'node:test'
import { startTestBot, type TestContact } from '../../core/testing/index.js'
import { installSignal } from '../../emulator/signal/index.js'
import { becomes } from '../support/connection-states.js'
import { countingPlugin } from '../support/counting-plugin.js'

interface Sent {
  from: TestContact
  text: string
  id: Promise<string>
}

it('answers every command once across drops, 515s and slow queries; what was sent while the bot was away is answered after the reconnect, in order', async (t) => {
  const count = countingPlugin()
  const bot = await startTestBot(t, { plugins: [count.plugin], builtins: false })
  const emu = bot.emulator
  const signal = installSignal(emu.host)
  const people = ['Ann', 'Ben', 'Cat'].map((name) => bot.contact(name))
  const fromBacklog = new Map<string, boolean>()
  bot.runtime.whatsapp.onMessage((message) => fromBacklog.set(message.id, message.backlog))

  const sent: Sent[] = []
  let n = 0
  const send = (from: TestContact): Sent => {
    const text = `!count ${from.name}-${++n}`
    // Delivery waits for the bot as long as it takes; only the bot's receipt settles it.
    const id = signal.contact(from.phone).say(text, { timeoutMs: 60_000 }).then((r) => r.id)
    id.catch(() => undefined)
    const entry = { from, text, id }
    sent.push(entry)
    return entry
  }
  const burst = (times: number, who = people): Sent[] => who.flatMap((p) => Array.from({ length: times }, () => send(p)))

  // Live traffic, and the socket drops while it is being answered.
  const away = becomes(bot.runtime, 'connecting')
  burst(2)
  emu.faults.dropConnection()
  await away
  const back = becomes(bot.runtime, 'open')
  const whileAway = burst(3)
  await back

  // WhatsApp asks for a new connection in the middle of traffic.
  let restarted = becomes(bot.runtime, 'open')
  burst(2)
  emu.faults.streamError(515)
  burst(2)
  await restarted

  // Slow queries: a newcomer's first answer waits for their device list; the others keep writing.
  const dan = bot.contact('Dan')
  emu.faults.delayIq({ xmlns: 'usync' }, 400)
  burst(1, [dan])
  burst(2)
  // Eve's answer is cut off: the connection fails as the bot sends it.
  const eve = bot.contact('Eve')
  emu.faults.dropOnNext('message', { to: eve.phone })
  restarted = becomes(bot.runtime, 'open')
  const cutOff = send(eve)
  await restarted
  emu.faults.clear()
  burst(1, [...people, dan, eve])

  const ids = await Promise.all(sent.map((s) => s.id))
  // Every command gets an answer quoting it…
  for (const [i, id] of ids.entries()) await signal.repliesTo(id, { count: 1, timeoutMs: 30_000 }).catch((error: unknown) => assert.fail(`${sent[i]?.text}: ${(error as Error).message}`))
  await bot.runtime.idle()
  // …once, and its handler ran once.
  for (const [i, id] of ids.entries()) {
    const answers = signal.replies.filter((r) => r.quotedId === id)
    assert.deepEqual(answers.map((r) => r.text), [sent[i]?.text.replace('!count', 'counted')], sent[i]?.text)
    assert.equal(count.runs.get(id), 1, `${sent[i]?.text} ran ${count.runs.get(id) ?? 0} times`)
  }
  assert.ok(signal.replies.some((r) => r.text === cutOff.text.replace('!count', 'counted')), 'the answer cut off by the drop came after the reconnect')

  // What was sent while the bot was away came from the offline backlog, and was answered in the order it was sent.
  const awayIds = await Promise.all(whileAway.map((s) => s.id))
  assert.deepEqual(awayIds.map((id) => fromBacklog.get(id)), awayIds.map(() => true))
  const position = (id: string) => signal.replies.findIndex((r) => r.quotedId === id)
  for (const person of people) {
    const theirs = whileAway.map((s, i) => ({ s, id: awayIds[i] as string })).filter(({ s }) => s.from === person)
    const order = theirs.map(({ id }) => position(id))
    assert.deepEqual(order, [...order].sort((a, b) => a - b), `${person.name}'s answers in the order sent`)
  }
})
