// Chat load: every contact sends `!ping` and waits for the bot's reply
// quoting it before sending the next one (a closed loop, so the bot sets the
// pace), until the batch has `count` round trips. A bot whose answer does not
// quote the command (`quotes` false) is answered by its next message in the
// contact's chat, which is the same message since each contact waits for it.
import type { SignalLayer, SimContact } from '../emulator/signal/index.js'
import type { Measured } from './results.js'

export async function pingBatch(signal: SignalLayer, contacts: SimContact[], count: number, quotes = true): Promise<Measured> {
  const latencies: number[] = []
  let issued = 0
  const started = performance.now()
  const loop = async (contact: SimContact) => {
    while (issued < count) {
      issued++
      const sent = performance.now()
      const { id } = await contact.say('!ping')
      const [reply] = quotes ? await signal.repliesTo(id) : [await contact.nextReply()]
      if (reply?.text !== 'pong') throw new Error(`expected pong, got ${JSON.stringify(reply?.text)}`)
      latencies.push(performance.now() - sent)
    }
  }
  await Promise.all(contacts.map(loop))
  // A wrong reply throws rather than counting as a failure: the bot is broken, not slow.
  return { count: latencies.length, failures: 0, elapsedMs: performance.now() - started, latencies }
}
