// The `encrypt` namespace the bot uses for its own keys: how many one-time
// prekeys the server holds, uploading more, rotating the signed prekey, and
// the digest check. Uploads land in world.preKeys for the Signal layer, under
// the device of the bot whose connection sent them.
import type { EmulatorHost } from '../server/host.js'
import { IqError } from '../server/router.js'
import type { BotSession } from '../server/session.js'
import { type BinaryNode, bytes, child, children, node } from '../wire/binary-node.js'
import type { UploadedPreKeys } from '../world/bot-account.js'

function uint(n: BinaryNode | undefined): number {
  const b = bytes(n)
  return b && b.length > 0 && b.length <= 6 ? b.readUIntBE(0, b.length) : 0
}

function stripKeyType(key: Buffer): Buffer {
  return key.length === 33 ? key.subarray(1) : key
}

function signedPreKey(skey: BinaryNode | undefined): UploadedPreKeys['signedPreKey'] | undefined {
  const value = bytes(child(skey, 'value'))
  const signature = bytes(child(skey, 'signature'))
  if (!skey || !value || !signature) return undefined
  return { keyId: uint(child(skey, 'id')), publicKey: stripKeyType(value), signature }
}

export function installPreKeys(host: EmulatorHost): void {
  const { router, world } = host
  // A connection that never logged in can only be a test's stand-in for the one bot.
  const botOf = (session: BotSession) => session.bot ?? world.bot
  const deviceJid = (session: BotSession): string => {
    const jid = botOf(session)?.deviceJid
    if (!jid) throw new IqError(401, 'not-authorized')
    return jid
  }

  router.iq({ xmlns: 'encrypt', type: 'get', child: 'count' }, (_iq, session) => {
    const held = world.preKeys.get(deviceJid(session))?.preKeys.size ?? 0
    return node('count', { value: String(held) })
  })

  router.iq({ xmlns: 'encrypt', type: 'set', child: 'registration' }, (iq: BinaryNode, session) => {
    const jid = deviceJid(session)
    const identity = bytes(child(iq, 'identity'))
    const skey = signedPreKey(child(iq, 'skey'))
    if (!identity || !skey) throw new IqError(400, 'bad-request')
    const prev = world.preKeys.get(jid)
    const identityKey = stripKeyType(identity)
    // Same identity: the new keys add to what is held. New identity: start over.
    const keys = prev && prev.identityKey.equals(identityKey) ? prev.preKeys : new Map<number, Buffer>()
    for (const k of children(child(iq, 'list'), 'key')) {
      const value = bytes(child(k, 'value'))
      if (value) keys.set(uint(child(k, 'id')), stripKeyType(value))
    }
    world.preKeys.set(jid, { registrationId: uint(child(iq, 'registration')), identityKey, signedPreKey: skey, preKeys: keys })
    const c = botOf(session)?.companion
    if (c && c.identityKey.length === 0) c.identityKey = identityKey
    host.log(`bot ${jid} uploaded ${keys.size} prekeys`)
    return undefined
  })

  router.iq({ xmlns: 'encrypt', type: 'set', child: 'rotate' }, (iq: BinaryNode, session) => {
    const held = world.preKeys.get(deviceJid(session))
    const skey = signedPreKey(child(child(iq, 'rotate'), 'skey'))
    if (!skey) throw new IqError(400, 'bad-request')
    if (held) held.signedPreKey = skey
    return undefined
  })

  router.iq({ xmlns: 'encrypt', type: 'get', child: 'digest' }, (_iq: BinaryNode, session: BotSession) => {
    const held = world.preKeys.get(deviceJid(session))
    // No bundle: answer without <digest> so the client re-uploads, as the real server does.
    if (!held) return undefined
    return node('digest', {}, [
      node('registration', {}, be(held.registrationId, 4)),
      node('type', {}, Buffer.from([5])),
      node('identity', {}, held.identityKey),
      node('skey', {}, [
        node('id', {}, be(held.signedPreKey.keyId, 3)),
        node('value', {}, held.signedPreKey.publicKey),
        node('signature', {}, held.signedPreKey.signature),
      ]),
      node('list', {}, [...held.preKeys.keys()].map((id) => node('id', {}, be(id, 3)))),
    ])
  })
}

function be(n: number, len: number): Buffer {
  const b = Buffer.alloc(len)
  b.writeUIntBE(n, 0, len)
  return b
}
