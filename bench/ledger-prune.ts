// How long one prune of the chat's record of handled messages takes, and the
// longest the event loop waited for it, with N records in the store (a busy
// number holds up to 50,000: the size limit). Each prune is timed three times;
// the first deletes the 1,000 records past the limit.
//
//   node --import tsx bench/ledger-prune.ts [records=50000]
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { pino } from 'pino'
import { HandledLedger } from '../core/chat/handled-ledger.js'
import { chatKeys } from '../core/chat/chat-keys.js'
import { Storage } from '../core/storage/storage.js'

const records = Number(process.argv[2] ?? 50_000)
const directory = mkdtempSync(path.join(tmpdir(), 'waplug-ledger-prune-'))
const storage = new Storage(directory)
try {
  const store = storage.forRuntime('chat')
  const ledger = new HandledLedger(store, 'run', { doneMs: 3600_000, answeredMs: 3600_000, records }, pino({ level: 'silent' }))
  const message = { id: '', chat: '', sender: '', fromMe: false, kind: 'text', text: '!ping', mentions: [], timestamp: 0, isGroup: false, backlog: false, raw: {} }
  // As a busy number's record looks: 40 chats, a finished record for each command, and a thousand over the limit.
  const total = records + 1000
  for (let from = 0; from < total; from += 1000) {
    await Promise.all(
      Array.from({ length: Math.min(1000, total - from) }, (_, i) => {
        const n = from + i
        const chat = `${1000 + (n % 40)}@lid`
        return store.set(chatKeys.handled(chat, `3EB0${n.toString(16).toUpperCase().padStart(16, '0')}`), { state: 'done', at: Date.now() + n, run: 'run', message: { ...message, id: String(n), chat, sender: chat } })
      }),
    )
  }
  for (let round = 0; round < 3; round++) {
    let last = performance.now()
    let longest = 0
    let running = true
    const tick = () => {
      const now = performance.now()
      longest = Math.max(longest, now - last)
      last = now
      if (running) setImmediate(tick)
    }
    setImmediate(tick)
    const started = performance.now()
    const deleted = await ledger.prune()
    const took = performance.now() - started
    running = false
    // A prune that never let the loop turn shows as one wait as long as itself.
    longest = Math.max(longest, performance.now() - last)
    process.stdout.write(`prune ${round + 1}: ${took.toFixed(0)} ms over ${store.keys({ prefix: chatKeys.allHandled() }).length + deleted} records, ${deleted} deleted, longest wait of the event loop ${longest.toFixed(1)} ms\n`)
  }
} finally {
  await storage.close()
  rmSync(directory, { recursive: true, force: true })
}
