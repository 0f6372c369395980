// The bot as the Signal layer sees it: its companion device (where contacts'
// messages go), its own phone (device 0, which gets a copy of everything the
// bot sends), and the keys the companion uploaded.
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

/** The logged-in bot device, once it has uploaded its prekeys. */
export function currentBotDevice(world: WorldLike): BotDevice | undefined {
  const bot = world.bot
  const keys = world.botPreKeys()
  const device = bot?.companion?.device
  if (!bot || !keys || device === undefined) return undefined
  const lidUser = parseDeviceJid(bot.lid)?.user
  if (!lidUser) return undefined
  return { bot, address: deviceAddress(lidUser, device), device, lidUser, keys }
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
