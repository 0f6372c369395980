import path from 'node:path'
import { createInterface } from 'node:readline'
import { StartupError } from '../../core/errors.js'
import { createRuntime } from '../../core/runtime.js'
import { installEmulatorTrust, startEmulator } from '../index.js'
import { installSignal } from '../signal/index.js'
import { SANDBOX_BOT_PHONE, SEED_CONTACTS, seed } from './contacts.js'
import { SANDBOX_HELP, handleLine, promptText, type PromptState } from './prompt.js'

/**
 * `npm run sandbox`: the runtime, as `npm start` configures it, connected to a
 * local emulated WhatsApp instead of the real one, paired automatically, with
 * a prompt to chat with the bot as one of a few simulated contacts.
 */
async function main(): Promise<void> {
  // The emulator's certificates are trusted in this process only; npm start never trusts them.
  installEmulatorTrust()
  const emulator = await startEmulator()
  const signal = installSignal(emulator.host, { timeoutMs: 10_000 })
  seed(emulator)
  const owner = SEED_CONTACTS[0]?.phone ?? ''

  // Its own folder, so the sandbox never touches a real WhatsApp session in the data dir.
  const dataDir = path.join(process.env.DATA_DIR ?? 'data', 'sandbox')
  // A chat, not a log: warnings and errors only, unless asked (--logs, or LOG_LEVEL).
  const showLogs = process.argv.slice(2).includes('--logs')
  const runtime = createRuntime({
    // The emulated phone is new each time; the session is cleared only once this
    // sandbox holds the data dir, so a second sandbox cannot break a running one.
    forgetSession: true,
    config: {
      dataDir,
      ...(process.env.LOG_LEVEL ? {} : { log: { level: showLogs ? ('info' as const) : ('warn' as const) } }),
      // Pairing is automatic here, and Baileys' notes about it (the 515 restart) would only confuse.
      whatsapp: { wsUrl: emulator.url, printQr: false, pairingPhone: null, ...(process.env.WA_LOG_LEVEL ? {} : { logLevel: 'silent' as const }) },
      ...(process.env.OWNERS ? {} : { owners: [owner] }),
    },
  })
  const stop = async () => {
    signal.close()
    await runtime.stop()
    await emulator.stop()
  }

  await runtime.start()
  await waitFor(() => runtime.whatsapp.qr !== undefined, 'the pairing QR')
  await emulator.scanQr(runtime.whatsapp.qr as string, { phone: SANDBOX_BOT_PHONE })
  await waitFor(() => runtime.whatsapp.state === 'open', 'WhatsApp to open')

  const print = (line: string) => process.stdout.write(`${line}\n`)
  const key = runtime.config.http.apiKeys[0]
  print('')
  print(`Sandbox ready: the bot is +${SANDBOX_BOT_PHONE} on an emulated WhatsApp.`)
  print(`HTTP API: ${runtime.url}${key ? `  (Authorization: ${key})` : '  (Authorization: Bearer <JWT>)'}`)
  print(`You are writing as ${SEED_CONTACTS[0]?.name ?? owner} (+${owner})${runtime.config.owners.includes(`${owner}@s.whatsapp.net`) ? ', an owner' : ''}.`)
  print(SANDBOX_HELP)

  const state: PromptState = { as: owner, group: undefined }
  const deps = { emulator, signal, prefixes: runtime.config.chat.prefixes, print, botPhone: SANDBOX_BOT_PHONE }
  const interactive = Boolean(process.stdin.isTTY)
  const lines = createInterface({ input: process.stdin, output: process.stdout, terminal: interactive })
  const showPrompt = () => {
    if (!interactive) return
    lines.setPrompt(promptText(state, emulator))
    lines.prompt()
  }
  showPrompt()
  for await (const line of lines) {
    if (!interactive && line.trim()) print(`${promptText(state, emulator)}${line}`)
    let goOn = true
    try {
      goOn = await handleLine(line, state, deps)
    } catch (error) {
      print(`(${(error as Error).message})`)
    }
    if (!goOn) break
    showPrompt()
  }
  lines.close()
  await stop()
  process.exit(0)
}

async function waitFor(check: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`the sandbox timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof StartupError ? error.message : `The sandbox could not start: ${(error as Error).message}`}\n`)
  process.exit(1)
})
