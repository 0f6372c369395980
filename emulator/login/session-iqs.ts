// The small IQs a logged-in client sends that nothing else models: going
// active (after which the server reports an empty offline queue), keepalive
// pings, props, blocklist, privacy, logout. Answers are the minimal valid
// shape so the client never waits for a timeout.
import type { EmulatorHost } from '../server/host.js'
import type { BotSession } from '../server/session.js'
import { node } from '../wire/binary-node.js'

/** Delivers whatever was queued for the bot while it was away; returns how many stanzas. */
export type DeliverOffline = (session: BotSession) => Promise<number>

export function installSessionIqs(host: EmulatorHost, deliverOffline: DeliverOffline = () => Promise.resolve(0)): void {
  const { router, world } = host

  router.iq({ xmlns: 'passive', type: 'set', child: 'active' }, (_iq, session) => {
    // After the reply: the offline queue first, then its count, which is
    // when the client flushes the events it buffered since connecting.
    setImmediate(() => {
      void deliverOffline(session).then((count) => {
        session.send(node('ib', { from: 's.whatsapp.net' }, [node('offline', { count: String(count) })]))
      })
    })
    return undefined
  })
  router.iq({ xmlns: 'passive', type: 'set', child: 'passive' }, () => undefined)
  router.iq({ xmlns: 'w:p', child: 'ping' }, () => undefined)
  router.iq({ xmlns: 'abt', type: 'get', child: 'props' }, () => node('props', { protocol: '1', hash: 'emu', refresh: '86400' }, []))
  router.iq({ xmlns: 'w', type: 'get', child: 'props' }, () => node('props', { protocol: '2', hash: 'emu' }, []))
  router.iq({ xmlns: 'blocklist', type: 'get' }, () => node('list', {}, []))
  router.iq({ xmlns: 'privacy', type: 'get', child: 'privacy' }, () =>
    node('privacy', {}, [
      node('category', { name: 'last', value: 'all' }),
      node('category', { name: 'online', value: 'all' }),
      node('category', { name: 'profile', value: 'all' }),
      node('category', { name: 'status', value: 'all' }),
      node('category', { name: 'readreceipts', value: 'all' }),
      node('category', { name: 'groupadd', value: 'all' }),
    ]),
  )
  router.iq({ xmlns: 'md', type: 'set', child: 'remove-companion-device' }, (_iq, session) => {
    if (session.bot) world.unlink(session.bot)
    else world.unlinkCompanion()
    return undefined
  })

  // Receipts and notification acks need no answer from the server beyond
  // its own ack, which the client does not wait for; the default keeps the
  // dispatch table explicit about them.
  router.on('receipt', (stanza, session) => {
    session.send(node('ack', { id: stanza.attrs.id, class: 'receipt', from: stanza.attrs.to ?? 's.whatsapp.net', type: stanza.attrs.type }))
    return true
  })
}
