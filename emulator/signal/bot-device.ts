// A bot as the Signal layer sees it: its companion device (where contacts'
// messages go), its own phone (device 0, which gets a copy of everything the
// bot sends), and the keys the companion uploaded. The world may hold many
// bots; each has its own.
import { SignalPeer } from './signal-peer.js'
import { createSignalIdentity, toSignalPublicKey } from './keys.js'
import { deviceAddress, parseDeviceJid } from './jids.js'
import type { DeviceAddress } from './signal-peer.js'
import type { UploadedKeys } from './bundle-wire.js'
import type { BotLike, WorldLike } from './signal-host.js'

export interface BotDevice {
  bot: BotLike
  /** The companion device the bot runs as. */
  address: DeviceAddress
  device: number
  lidUser: string
  keys: UploadedKeys
}

const phones = new WeakMap<BotLike, SignalPeer>()

/** `bot`'s companion, once it has logged in and uploaded its prekeys. */
export function botDeviceOf(world: WorldLike, bot: BotLike | undefined): BotDevice | undefined {
  const keys = bot ? world.preKeysOf(bot) : undefined
  const device = bot?.companion?.device
  if (!bot || !keys || device === undefined) return undefined
  const lidUser = parseDeviceJid(bot.lid)?.user
  if (!lidUser) return undefined
  return { bot, address: deviceAddress(lidUser, device), device, lidUser, keys }
}

/** The first bot's device: the one the single-bot API talks to. */
export function currentBotDevice(world: WorldLike): BotDevice | undefined {
  return botDeviceOf(world, world.bot)
}

/** The bot device a contact writes to: `to` (phone or jid) or, without it, the first bot's. */
export function targetBotDevice(world: WorldLike, to?: string): BotDevice {
  const bot = to === undefined ? world.bot : world.botOf(to)
  if (to !== undefined && !bot) throw new Error(`no bot account ${to}`)
  const device = botDeviceOf(world, bot)
  if (!device) throw new Error(`no bot device${to === undefined ? '' : ` for ${to}`} has logged in and uploaded its prekeys yet`)
  return device
}

/** The account's phone as a Signal device, using the identity the world gave it. */
export function phonePeer(bot: BotLike): SignalPeer {
  let peer = phones.get(bot)
  if (!peer) {
    const identityKey = { pubKey: toSignalPublicKey(bot.phoneIdentity.public), privKey: Buffer.from(bot.phoneIdentity.private) }
    peer = new SignalPeer(createSignalIdentity({ identityKey, registrationId: bot.phoneRegistrationId, preKeyCount: 16 }))
    phones.set(bot, peer)
  }
  return peer
}

/** Identifies one pairing of a bot: a re-paired bot is a new device that cannot read what was made for the old one. */
export function deviceKey(bot: BotDevice): string {
  return `${bot.address.name}.${bot.address.device}:${bot.keys.identityKey.toString('hex')}`
}
