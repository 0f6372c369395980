// `<iq xmlns="w:m" type="set"><media_conn/>`: where and with what token the
// client may upload. One host, the emulator's media server on 127.0.0.1.
import type { EmulatorHost } from '../server/host.js'
import { node } from '../wire/binary-node.js'
import { MAX_UPLOAD_BYTES } from './media-server.js'
import type { MediaStore } from './media-store.js'

export function installMediaConn(host: EmulatorHost, store: MediaStore): void {
  host.router.iq({ xmlns: 'w:m', child: 'media_conn' }, (_iq, session) => {
    const auth = store.issueAuth(session.bot?.phone ?? 'unpaired')
    return node('media_conn', { auth, ttl: String(store.ttlSeconds), auth_ttl: String(store.ttlSeconds), max_buckets: '12' }, [
      node('host', { hostname: store.hostname, maxContentLengthBytes: String(MAX_UPLOAD_BYTES) }),
    ])
  })
}
