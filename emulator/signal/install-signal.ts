// Puts the Signal layer on the emulator's router. Idempotent per host, so the
// emulator may install it by itself and a test may still ask for it (its
// options then apply to the layer already there).
import type { EmulatorHost } from '../server/host.js'
import { SignalLayer } from './signal-layer.js'
import type { SignalLayerOptions } from './signal-layer.js'

const installed = new WeakMap<EmulatorHost, SignalLayer>()

export function installSignal(host: EmulatorHost, opts: SignalLayerOptions = {}): SignalLayer {
  const existing = installed.get(host)
  if (existing) {
    existing.configure(opts)
    return existing
  }
  const layer = new SignalLayer(host, opts)
  installed.set(host, layer)
  host.onStop(() => layer.close())
  // Each handler is told which bot's connection the stanza came on.
  host.onActive((session) => layer.deliverOffline(session.id, (n) => session.send(n), session.bot))
  const { router } = host

  router.iq({ xmlns: 'usync', child: 'usync' }, (iq, session) => layer.answerUsync(iq, session.bot))
  router.iq({ xmlns: 'encrypt', type: 'get', child: 'key' }, (iq) => layer.answerKeyFetch(iq))
  router.on('message', async (stanza, session) => {
    await layer.onBotMessage(stanza, session.bot)
    return true
  })
  // Observed only: the core's handlers still ack receipts and acks.
  router.on('receipt', (stanza, session) => {
    layer.onReceipt(stanza, session.bot)
    return false
  })
  router.on('chatstate', (stanza, session) => {
    layer.onBotPresence(stanza, session.bot)
    return false
  })
  router.on('presence', (stanza, session) => {
    layer.onBotPresence(stanza, session.bot)
    return false
  })
  router.on('ack', (stanza, session) => {
    layer.onAck(stanza, session.bot)
    return false
  })
  return layer
}

/** The layer installed on `host`, if any. */
export function signalLayerOf(host: EmulatorHost): SignalLayer | undefined {
  return installed.get(host)
}
