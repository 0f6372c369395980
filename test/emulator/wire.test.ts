// The transport pieces against Baileys' own client-side noise handler,
// without sockets: framing across arbitrary chunk boundaries, the XX
// handshake, and transport frames both ways.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { encodeBinaryNode, makeNoiseHandler, NOISE_WA_HEADER, proto, type BinaryNode } from '@whiskeysockets/baileys'
import { pino } from 'pino'
import { installEmulatorTrust } from '../../emulator/index.js'
import { makeCertChain } from '../../emulator/wire/certificates.js'
import { encodeFrame, FrameReader } from '../../emulator/wire/frames.js'
import { newKeyPair } from '../../emulator/wire/key-pair.js'
import { NoiseResponder } from '../../emulator/wire/noise.js'

installEmulatorTrust()

void test('frames: intro once, then length-prefixed frames, split anywhere', () => {
  const bytes = Buffer.concat([Buffer.from([0x57, 0x41, 6, 3]), encodeFrame(Buffer.from('one')), encodeFrame(Buffer.alloc(70000, 7)), encodeFrame(Buffer.from('x'))])
  for (const step of [1, 5, 4096]) {
    const reader = new FrameReader()
    const frames: Buffer[] = []
    for (let i = 0; i < bytes.length; i += step) frames.push(...reader.push(bytes.subarray(i, i + step)))
    assert.deepEqual(frames.map((f) => f.length), [3, 70000, 1])
    assert.deepEqual(reader.intro, Buffer.from([0x57, 0x41, 6, 3]))
  }
  assert.throws(() => new FrameReader().push(Buffer.from('GET / HTTP/1.1')), /bad intro/)
})

void test('noise XX: Baileys client and emulator responder agree on keys', async () => {
  const serverStatic = newKeyPair()
  const responder = new NoiseResponder(serverStatic, makeCertChain(serverStatic.public))
  const reader = new FrameReader()
  const fromClient = (bytes: Buffer): Buffer => reader.push(bytes)[0]!

  const clientEphemeral = newKeyPair()
  const client = makeNoiseHandler({ keyPair: clientEphemeral, NOISE_HEADER: NOISE_WA_HEADER, logger: pino({ level: 'silent' }) })
  const hello = proto.HandshakeMessage.encode({ clientHello: { ephemeral: clientEphemeral.public } }).finish()
  const serverHello = responder.respondToHello(NOISE_WA_HEADER, fromClient(client.encodeFrame(hello)))

  const noiseKey = newKeyPair()
  const keyEnc = client.processHandshake(proto.HandshakeMessage.decode(serverHello), noiseKey)
  const payload = proto.ClientPayload.encode({ username: 15550100001, device: 3, passive: true }).finish()
  const finish = proto.HandshakeMessage.encode({ clientFinish: { static: keyEnc, payload: client.encrypt(payload) } }).finish()
  const result = responder.finish(fromClient(client.encodeFrame(finish)))
  await client.finishInit()
  assert.deepEqual(result.clientStatic, noiseKey.public)
  assert.equal(String(result.clientPayload.username), '15550100001')
  assert.equal(result.clientPayload.device, 3)

  // Transport: client → server, then server → client.
  const ping: BinaryNode = { tag: 'iq', attrs: { id: '1', xmlns: 'w:p', type: 'get' }, content: [{ tag: 'ping', attrs: {} }] }
  const sealed = fromClient(client.encodeFrame(encodeBinaryNode(ping)))
  assert.deepEqual(result.transport.decrypt(sealed), encodeBinaryNode(ping))
  const reply: BinaryNode = { tag: 'iq', attrs: { id: '1', type: 'result' }, content: undefined }
  const received: unknown[] = []
  await client.decodeFrame(encodeFrame(result.transport.encrypt(encodeBinaryNode(reply))), (n) => received.push(n))
  assert.deepEqual(received, [reply])
})

/** The client's side of the handshake up to checking the server's certificate chain. */
function checkChain(certChain: (serverStatic: Buffer) => Uint8Array): void {
  const serverStatic = newKeyPair()
  const responder = new NoiseResponder(serverStatic, certChain(serverStatic.public))
  const reader = new FrameReader()
  const clientEphemeral = newKeyPair()
  const client = makeNoiseHandler({ keyPair: clientEphemeral, NOISE_HEADER: NOISE_WA_HEADER, logger: pino({ level: 'silent' }) })
  const hello = proto.HandshakeMessage.encode({ clientHello: { ephemeral: clientEphemeral.public } }).finish()
  const serverHello = responder.respondToHello(NOISE_WA_HEADER, reader.push(client.encodeFrame(hello))[0]!)
  client.processHandshake(proto.HandshakeMessage.decode(serverHello), newKeyPair())
}

void test('noise XX: a certificate chain signed by another root, or with a bad leaf signature, is refused', () => {
  assert.doesNotThrow(() => checkChain((key) => makeCertChain(key)))
  assert.throws(() => checkChain((key) => makeCertChain(key, newKeyPair())), /noise intermediate certificate signature invalid/)
  assert.throws(
    () =>
      checkChain((key) => {
        const chain = proto.CertChain.decode(makeCertChain(key))
        const signature = Buffer.from(chain.leaf!.signature!)
        signature[0]! ^= 1
        return proto.CertChain.encode({ ...chain, leaf: { ...chain.leaf, signature } }).finish()
      }),
    /noise certificate signature invalid/,
  )
})
