// Signal-encrypted messages between the bot and simulated contacts.
export { installSignal, signalLayerOf } from './install-signal.js'
export { SignalLayer, type SayOptions, type SendOptions, type ReplyQuery, type SignalLayerOptions } from './signal-layer.js'
export { SimContact } from './sim-contact.js'
export type { BotMessage } from './bot-message.js'
export type { ReceiptMode } from './contact-receipts.js'
export type { SignalHost, WorldLike, ContactLike, BotLike, PersonLike } from './signal-host.js'
export { SignalPeer, type DeviceAddress } from './signal-peer.js'
export { createSignalIdentity, type PreKeyBundle, type SignalIdentity, type KeyPair } from './keys.js'
