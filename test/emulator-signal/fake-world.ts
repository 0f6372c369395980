// A minimal world for driving the Signal layer without a server: one bot
// account whose companion is a Baileys signal repository, some contacts,
// and a host that records what would be pushed to the bot.
import { createHash } from 'node:crypto'
import { Curve } from '@whiskeysockets/baileys'
import type { BinaryNode } from '@whiskeysockets/baileys'
import { parseKeyUpload } from '../../emulator/signal/bundle-wire.js'
import type { UploadedKeys } from '../../emulator/signal/bundle-wire.js'
import type { BotLike, ContactLike, PersonLike, SignalHost, WorldLike } from '../../emulator/signal/signal-host.js'
import { baileysSignalDevice } from './baileys-signal-device.js'

function lidUser(phone: string): string {
  return (BigInt('0x' + createHash('sha256').update(phone).digest('hex').slice(0, 12)) % 10n ** 14n + 10n ** 14n).toString()
}

export function makeContact(phone: string, name: string): ContactLike {
  return { phone, jid: `${phone}@s.whatsapp.net`, lid: `${lidUser(phone)}@lid`, name }
}

class FakeWorld implements WorldLike {
  readonly contacts = new Map<string, ContactLike>()
  readonly bots: ReadonlyMap<string, BotLike>
  constructor(
    public bot: BotLike,
    private readonly keys: UploadedKeys,
  ) {
    this.bots = new Map([[bot.phone, bot]])
  }

  botPreKeys(): UploadedKeys {
    return this.keys
  }

  preKeysOf(bot: BotLike): UploadedKeys | undefined {
    return bot === this.bot ? this.keys : undefined
  }

  botOf(phoneOrJid: string): BotLike | undefined {
    const user = (phoneOrJid.split('@')[0] ?? '').split(':')[0] ?? ''
    return user === this.bot.phone || `${user}@lid` === this.bot.lid ? this.bot : undefined
  }

  contact(phoneOrJid: string): ContactLike | undefined {
    const user = (phoneOrJid.split('@')[0] ?? '').split(':')[0] ?? ''
    for (const c of this.contacts.values()) if (c.phone === user || c.lid === `${user}@lid`) return c
    return undefined
  }

  group(): undefined {
    return undefined
  }

  person(jid: string): PersonLike | undefined {
    const user = (jid.split('@')[0] ?? '').split(':')[0] ?? ''
    if (user === this.bot.phone || `${user}@lid` === this.bot.lid) return { lid: this.bot.lid, pn: this.bot.jid, isBot: true }
    const c = this.contact(jid)
    return c ? { lid: c.lid, pn: c.jid, contact: c, isBot: false } : undefined
  }
}

export async function fakeWorld(botDevice = 3) {
  const device = await baileysSignalDevice(10)
  const phone = '15550001111'
  const bot: BotLike = {
    phone,
    jid: `${phone}@s.whatsapp.net`,
    lid: `${lidUser(phone)}@lid`,
    phoneIdentity: Curve.generateKeyPair(),
    phoneRegistrationId: 4321,
    companion: { device: botDevice },
  }
  const world = new FakeWorld(bot, parseKeyUpload(device.uploadNode))
  device.creds.me = { id: `${phone}:${botDevice}@s.whatsapp.net`, lid: `${lidUser(phone)}:${botDevice}@lid` }
  const pushed: BinaryNode[] = []
  const host: SignalHost = {
    world,
    sendToBot: (node) => {
      pushed.push(node)
      return true
    },
    now: () => Math.floor(Date.now() / 1000),
  }
  const addContact = (p: string, name: string) => {
    const c = makeContact(p, name)
    world.contacts.set(p, c)
    return c
  }
  return { world, host, pushed, device, bot, addContact }
}
