// The setting most end-to-end Signal tests share: an emulator with the Signal
// layer, some contacts, and the real Baileys client paired as the bot.
import type { Emulator } from '../../emulator/index.js'
import { installSignal, type SignalLayer, type SignalLayerOptions, type SimContact } from '../../emulator/signal/index.js'
import { type BotClient, pairedBot, withEmulator } from '../emulator/helpers.js'

type Person = { phone: string; name: string }

export interface SignalBot<P extends readonly Person[]> {
  emu: Emulator
  signal: SignalLayer
  bot: BotClient
  /** The contacts asked for, in the same order. */
  contacts: { [K in keyof P]: SimContact }
}

export async function withSignalBot<const P extends readonly Person[]>(people: P, options: SignalLayerOptions, fn: (world: SignalBot<P>) => Promise<void>): Promise<void> {
  await withEmulator(async (emu) => {
    const signal = installSignal(emu.host, options)
    for (const person of people) emu.addContact(person)
    const bot = await pairedBot(emu)
    try {
      const contacts = people.map((person) => signal.contact(person.phone)) as { [K in keyof P]: SimContact }
      await fn({ emu, signal, bot, contacts })
    } finally {
      signal.close()
      await bot.dispose()
    }
  })
}
