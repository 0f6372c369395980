// Chat load: every contact sends `!ping` and waits for the bot's reply
// quoting it before sending the next one (a closed loop, so the bot sets the
// pace), until the batch has `count` round trips.
import type { SignalLayer, SimContact } from '../emulator/signal/index.js'

export interface ChatBatch {
  roundTrips: number
  /** Wall time of the batch, ms. */
  elapsedMs: number
  /** Send to reply, ms, one per round trip. */
  latencies: number[]
}

export async function pingBatch(signal: SignalLayer, contacts: SimContact[], count: number): Promise<ChatBatch> {
  const latencies: number[] = []
  let issued = 0
  const started = performance.now()
  const loop = async (contact: SimContact) => {
    while (issued < count) {
      issued++
      const sent = performance.now()
      const { id } = await contact.say('!ping')
      const [reply] = await signal.repliesTo(id)
      if (reply?.text !== 'pong') throw new Error(`expected pong, got ${JSON.stringify(reply?.text)}`)
      latencies.push(performance.now() - sent)
    }
  }
  await Promise.all(contacts.map(loop))
  return { roundTrips: latencies.length, elapsedMs: performance.now() - started, latencies }
}
