// How many chat commands are answered, and how many twice, when the
// connection fails while contacts keep writing: the runtime on the emulator,
// several contacts sending `!ping` at a steady pace, and drops, 515 restarts
// and slow queries in turn. Each command is noted with whether the bot was
// connected when it was sent; at the end every reply is matched to the
// command it quotes.
//
//   node --import tsx bench/chat-faults.ts [--contacts 4] [--rounds 6] [--every 150]
import './quiet-libsignal.js'
import { parseArgs } from 'node:util'
import { pino } from 'pino'
import { installEmulatorTrust, startEmulator } from '../emulator/index.js'
import { installSignal } from '../emulator/signal/index.js'
import { createEmulatedRuntime, runtimeFolder, waitForState } from '../core/testing/emulated-runtime.js'
import { restorePairedSession, untilKeysUploaded } from '../core/testing/paired-session.js'

installEmulatorTrust()

const { values } = parseArgs({
  options: {
    contacts: { type: 'string', default: '4' },
    rounds: { type: 'string', default: '6' },
    every: { type: 'string', default: '150' },
  },
})
const contacts = Number(values.contacts)
const rounds = Number(values.rounds)
const everyMs = Number(values.every)

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

const emulator = await startEmulator()
const signal = installSignal(emulator.host, { timeoutMs: 120_000 })
const folder = runtimeFolder('waplug-faults-')
await restorePairedSession(emulator, folder.dataDir)
// WAPLUG_FAULTS_LOG=warn prints the runtime's logs from that level to stderr.
const logger = pino({ level: process.env.WAPLUG_FAULTS_LOG ?? 'silent' }, pino.destination(2))
// Sends are paced against bans by default (about one a second); this counts what
// faults lose, so the pacing is opened wide, as in the other benches.
const unpaced = { perSecond: 1000, burst: 1000, perChatPerSecond: 1000, perChatBurst: 1000, maxWaitSeconds: 600, typing: false, typingMaxMs: 0 }
const runtime = createEmulatedRuntime({
  folder,
  wsUrl: emulator.url,
  logger,
  builtinPlugins: true,
  config: { whatsapp: { queryTimeoutMs: 5000 }, messages: { pacing: unpaced } },
})
await runtime.start()
await waitForState(runtime, 'open', 15_000)
await untilKeysUploaded(emulator, 15_000)

const people = Array.from({ length: contacts }, (_, i) => {
  const phone = `155502${String(i).padStart(5, '0')}`
  emulator.addContact({ phone, name: `Contact ${i}` })
  return signal.contact(phone)
})

interface Sent {
  id: string | undefined
  offline: boolean
}
const sent: Sent[] = []
const deliveries: Promise<void>[] = []
let sending = true
const senders = people.map(async (person) => {
  while (sending) {
    const entry: Sent = { id: undefined, offline: !emulator.connected() || runtime.whatsapp.state !== 'open' }
    sent.push(entry)
    deliveries.push(
      person.say('!ping').then(
        ({ id }) => void (entry.id = id),
        () => undefined,
      ),
    )
    await sleep(everyMs)
  }
})

// Each round: a dropped socket (the bot is away about a second, its back-off),
// a 515 restart, then two seconds of slow group and device queries.
for (let round = 0; round < rounds; round++) {
  await sleep(1000)
  emulator.faults.dropConnection()
  await waitForState(runtime, 'open', 30_000)
  await sleep(1000)
  emulator.faults.streamError(515)
  await waitForState(runtime, 'open', 30_000)
  emulator.faults.delayIq({ xmlns: 'usync' }, 400)
  await sleep(2000)
  emulator.faults.clear()
}
sending = false
await Promise.all(senders)
await Promise.all(deliveries)
// What is still owed should arrive now; stop once nothing new came for three seconds.
let seen = -1
while (seen !== signal.replies.length) {
  seen = signal.replies.length
  await sleep(3000)
}

const quoting = new Map<string, number>()
for (const reply of signal.replies) if (reply.quotedId) quoting.set(reply.quotedId, (quoting.get(reply.quotedId) ?? 0) + 1)
const tally = (entries: Sent[]) => ({
  sent: entries.length,
  delivered: entries.filter((e) => e.id).length,
  answered: entries.filter((e) => e.id && quoting.has(e.id)).length,
  answeredTwice: entries.filter((e) => e.id && (quoting.get(e.id) ?? 0) > 1).length,
  neverAnswered: entries.filter((e) => e.id && !quoting.has(e.id)).length,
})
console.log(JSON.stringify({ contacts, rounds, everyMs, whileConnected: tally(sent.filter((e) => !e.offline)), whileDisconnected: tally(sent.filter((e) => e.offline)) }, null, 2))
if (process.env.WAPLUG_FAULTS_LOG) {
  console.error(`never answered: ${sent.filter((e) => e.id && !quoting.has(e.id)).map((e) => e.id).join(' ')}`)
  console.error(`contacts could not read: ${signal.failures.join('\n')}`)
}

await runtime.stop()
signal.close()
await emulator.stop()
folder.remove()
