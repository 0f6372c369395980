// A command a crash cuts off mid-way: the bot runs in its own process, is
// killed while the command runs, and a new runtime starts on its data.
import assert from 'node:assert/strict'
import { it } from 'node:test'
import { pino } from 'pino'
import { defineAction, definePlugin } from '../../core/index.js'
import type { Runtime } from '../../core/index.js'
import { createEmulatedRuntime, runtimeFolder, waitForState, type RuntimeFolder } from '../../core/testing/emulated-runtime.js'
import { restorePairedSession } from '../../core/testing/paired-session.js'
import { installEmulatorTrust, startEmulator, type Emulator } from '../../emulator/index.js'
import { installSignal, type SignalLayer } from '../../emulator/signal/index.js'
import { spawnNode } from '../support/capture.js'
import { until } from '../support/emulated-runtime.js'

installEmulatorTrust()

/** Runs `test` with an emulator and a bot folder, and cleans up after it, the runtime it started first. */
async function withWorld(test: (world: { emulator: Emulator; signal: SignalLayer; folder: RuntimeFolder; started: (runtime: Runtime) => void }) => Promise<void>): Promise<void> {
  const emulator = await startEmulator()
  const signal = installSignal(emulator.host, { timeoutMs: 20_000 })
  const folder = runtimeFolder('waplug-crash-')
  const runtimes: Runtime[] = []
  try {
    await test({ emulator, signal, folder, started: (runtime) => void runtimes.push(runtime) })
  } finally {
    for (const runtime of runtimes) await runtime.stop()
    signal.close()
    await emulator.stop()
    folder.remove()
  }
}

/** The bot after its restart: `!creategroup` now finishes at once, and says what it ran. */
function creatingAgain() {
  const ran: string[] = []
  const plugin = definePlugin({
    name: 'hangs',
    version: '1.0.0',
    setup(context) {
      context.action(
        defineAction<{ name?: string }, string>({
          name: 'create',
          summary: 'Creates a group',
          access: 'everyone',
          needsWhatsApp: false,
          input: { type: 'object', additionalProperties: false, properties: { name: { type: 'string' } } },
          chat: { command: 'creategroup', args: ['name'] },
          successMessage: 'Created',
          failureMessage: 'Failed to create',
          handler: ({ name }) => {
            ran.push(name ?? '')
            return name ?? ''
          },
          reply: (name) => `Created ${name}`,
          check: () => 'groups',
        }),
      )
    },
  })
  return { plugin, ran }
}

it('does not run again a command a crash cut off; after the restart it tells the sender, once, and how to check', () =>
  withWorld(async ({ emulator, signal, folder, started }) => {
    await restorePairedSession(emulator, folder.dataDir)
    const ann = signal.contact(emulator.addContact({ phone: '15550700001', name: 'Ann' }).phone)

    const bot = spawnNode(['--import', 'tsx', '--import', './emulator/trust-preload.ts', 'test/fixtures/crash-bot.ts', emulator.url, folder.root], {})
    let id: string
    try {
      await until(() => bot.output().includes('open\n'), 'the bot to connect', 30_000)
      id = (await ann.say('!creategroup Team')).id
      await until(() => bot.output().includes(`started ${id}`), 'the command to start', 10_000)
    } finally {
      bot.child.kill('SIGKILL')
      await bot.exited
    }

    const { plugin: again, ran } = creatingAgain()
    const runtime = createEmulatedRuntime({ folder, wsUrl: emulator.url, logger: pino({ level: 'silent' }), plugins: [again] })
    started(runtime)
    await runtime.start()
    await waitForState(runtime, 'open', 15_000)

    const [notice] = await signal.repliesTo(id, { count: 1, timeoutMs: 15_000 })
    assert.equal(
      notice?.text,
      "⚠️ I restarted while I was doing !creategroup, so I can't tell whether it was done. Send !groups to see whether it did, and send it again only if it was not: I won't run it twice by myself.",
    )
    await runtime.idle()
    assert.deepEqual(ran, [])
    assert.equal(bot.output().split(`started ${id}`).length - 1, 1)
    assert.equal(signal.replies.filter((r) => r.quotedId === id).length, 1)
  }))

it('runs after the restart a command the bot acknowledged and had not begun when it was killed', () =>
  withWorld(async ({ emulator, signal, folder, started }) => {
    await restorePairedSession(emulator, folder.dataDir)
    const ann = signal.contact(emulator.addContact({ phone: '15550700002', name: 'Ann' }).phone)

    const bot = spawnNode(['--import', 'tsx', '--import', './emulator/trust-preload.ts', 'test/fixtures/crash-bot.ts', emulator.url, folder.root], {})
    let first: string
    let second: string
    try {
      await until(() => bot.output().includes('open\n'), 'the bot to connect', 30_000)
      first = (await ann.say('!creategroup First')).id
      await until(() => bot.output().includes(`started ${first}`), 'the first command to start', 10_000)
      // The first never finishes, so the second waits behind it in the chat's queue; once WhatsApp has its receipt, the bot dies.
      second = (await ann.say('!creategroup Second')).id
    } finally {
      bot.child.kill('SIGKILL')
      await bot.exited
    }
    assert.ok(!bot.output().includes(`started ${second}`), 'the second had not begun')

    const { plugin: again, ran } = creatingAgain()
    const runtime = createEmulatedRuntime({ folder, wsUrl: emulator.url, logger: pino({ level: 'silent' }), plugins: [again] })
    started(runtime)
    await runtime.start()
    await waitForState(runtime, 'open', 15_000)

    const [notice] = await signal.repliesTo(first, { count: 1, timeoutMs: 15_000 })
    assert.match(notice?.text ?? '', /I restarted while I was doing !creategroup/)
    const [answer] = await signal.repliesTo(second, { count: 1, timeoutMs: 15_000 })
    assert.equal(answer?.text, 'Created Second')
    await runtime.idle()
    assert.deepEqual(ran, ['Second'], 'the one never begun ran once; the one cut off did not run again')
  }))
