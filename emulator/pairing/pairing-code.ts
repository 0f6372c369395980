// Linking with an 8-character code instead of a QR. The companion wraps its
// ephemeral key with a key derived from the code; the phone (the test, via
// confirmPairingCode) unwraps it with the code the user typed, answers with
// its own wrapped ephemeral, and both sides derive the ADV secret. Several
// clients may wait for a code at once, each for its own phone number: the
// code itself cannot tell them apart (nothing checks it before the client's
// last step), so the phone number the request carries does.
import { createDecipheriv, hkdfSync, randomBytes } from 'node:crypto'
import { aesDecryptCTR, aesEncryptCTR, Curve, derivePairingCodeKey } from '@whiskeysockets/baileys'
import type { EmulatorHost } from '../server/host.js'
import { IqError } from '../server/router.js'
import type { BotSession } from '../server/session.js'
import { type BinaryNode, bytes, child, firstChild, node } from '../wire/binary-node.js'
import { newKeyPair, type KeyPair } from '../wire/key-pair.js'
import { digits } from '../world/jids.js'
import type { Pairing } from './pairing.js'

interface CodeRequest {
  session: BotSession
  phone: string
  ref: string
  wrappedCompanionEphemeral: Buffer
  /** Set once the phone confirmed the code. */
  primaryEphemeral?: KeyPair
  companionEphemeral?: Buffer
  done?: { resolve: () => void; reject: (e: Error) => void }
}

export class PairingCodes {
  private readonly requests: CodeRequest[] = []

  constructor(
    private readonly host: EmulatorHost,
    private readonly pairing: Pairing,
  ) {
    host.router.iq({ xmlns: 'md', type: 'set', child: 'link_code_companion_reg' }, (iq, session) => {
      const reg = firstChild(iq)!
      if (reg.attrs.stage === 'companion_hello') return this.hello(reg, session)
      if (reg.attrs.stage === 'companion_finish') return this.finish(reg, session)
      throw new IqError(400, 'bad-request')
    })
  }

  private hello(reg: BinaryNode, session: BotSession) {
    const wrapped = bytes(child(reg, 'link_code_pairing_wrapped_companion_ephemeral_pub'))
    const phone = digits(reg.attrs.jid ?? '')
    if (!wrapped || wrapped.length < 80 || !phone) throw new IqError(400, 'bad-request')
    const ref = randomBytes(16).toString('base64')
    this.requests.push({ session, phone, ref, wrappedCompanionEphemeral: wrapped })
    const waiting = this.waiting
    this.waiting = []
    for (const w of waiting) w()
    session.onClose(() => this.forget(session))
    return node('link_code_companion_reg', {}, [node('link_code_pairing_ref', {}, Buffer.from(ref))])
  }

  private waiting: (() => void)[] = []

  private open(phone?: string): CodeRequest[] {
    return this.requests.filter((r) => r.session.isOpen && !r.primaryEphemeral && (phone === undefined || r.phone === phone))
  }

  /** The newest open request for `phone`, or, without one, the only phone waiting. */
  private pick(phone?: string): CodeRequest | undefined {
    const open = this.open(phone)
    const phones = new Set(open.map((r) => r.phone))
    if (phones.size > 1) {
      throw new Error(`confirmPairingCode: clients for ${[...phones].join(', ')} wait for a code; say which with { phone }`)
    }
    return open[open.length - 1]
  }

  /**
   * requestPairingCode() returns before its IQ reaches us, so the phone
   * waits a moment for the request instead of failing straight away.
   */
  private async awaitRequest(ms: number, phone?: string): Promise<CodeRequest | undefined> {
    const deadline = Date.now() + ms
    let req = this.pick(phone)
    while (!req && Date.now() < deadline) {
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.max(1, deadline - Date.now()))
        this.waiting.push(() => {
          clearTimeout(t)
          resolve()
        })
      })
      req = this.pick(phone)
    }
    return req
  }

  /**
   * The user typed `code` on the phone of `phone` (needed only while clients
   * for several phones wait). Resolves once pair-success was acknowledged.
   */
  async confirm(code: string, opts: { phone?: string; waitMs?: number } = {}): Promise<void> {
    const phone = opts.phone === undefined ? undefined : digits(opts.phone)
    const req = await this.awaitRequest(opts.waitMs ?? 5000, phone)
    if (!req) throw new Error(`confirmPairingCode: no client has requested a pairing code${phone ? ` for ${phone}` : ''}`)
    const bot = this.host.world.ensureBot(req.phone)
    const w = req.wrappedCompanionEphemeral
    const key = await derivePairingCodeKey(code, w.subarray(0, 32))
    req.companionEphemeral = aesDecryptCTR(w.subarray(48, 80), key, w.subarray(32, 48))
    const primary = newKeyPair()
    req.primaryEphemeral = primary
    const salt = randomBytes(32)
    const iv = randomBytes(16)
    const ourKey = await derivePairingCodeKey(code, salt)
    const wrappedPrimary = Buffer.concat([salt, iv, aesEncryptCTR(primary.public, ourKey, iv)])
    const finished = new Promise<void>((resolve, reject) => (req.done = { resolve, reject }))
    req.session.send(
      node('notification', { from: 's.whatsapp.net', type: 'link_code_companion_reg', id: this.host.nextId(), t: String(this.host.now()) }, [
        node('link_code_companion_reg', { stage: 'primary_hello' }, [
          node('link_code_pairing_ref', {}, Buffer.from(req.ref)),
          node('primary_identity_pub', {}, bot.phoneIdentity.public),
          node('link_code_pairing_wrapped_primary_ephemeral_pub', {}, wrappedPrimary),
        ]),
      ]),
    )
    return finished
  }

  private finish(reg: BinaryNode, session: BotSession) {
    const ref = bytes(child(reg, 'link_code_pairing_ref'))?.toString()
    const req = this.requests.find((r) => r.session === session && r.ref === ref)
    if (!req?.primaryEphemeral || !req.companionEphemeral) throw new IqError(404, 'item-not-found')
    const bundle = bytes(child(reg, 'link_code_pairing_wrapped_key_bundle'))
    const companionIdentity = bytes(child(reg, 'companion_identity_public'))
    const bot = this.host.world.ensureBot(req.phone)
    const fail = (why: string): never => {
      req.done?.reject(new Error(`confirmPairingCode: ${why}`))
      this.forget(session)
      throw new IqError(400, 'bad-request')
    }
    if (!bundle || bundle.length < 32 + 12 + 16 + 96 || !companionIdentity) return fail('companion_finish is incomplete')
    const companionShared = Curve.sharedKey(req.primaryEphemeral.private, req.companionEphemeral)
    const bundleKey = Buffer.from(hkdfSync('sha256', companionShared, bundle.subarray(0, 32), 'link_code_pairing_key_bundle_encryption_key', 32))
    let plain: Buffer
    try {
      const d = createDecipheriv('aes-256-gcm', bundleKey, bundle.subarray(32, 44))
      d.setAuthTag(bundle.subarray(bundle.length - 16))
      plain = Buffer.concat([d.update(bundle.subarray(44, bundle.length - 16)), d.final()])
    } catch {
      // A wrong code unwraps a wrong ephemeral key, which shows up here.
      return fail('the code does not match the one the client shows')
    }
    if (!plain.subarray(0, 32).equals(companionIdentity) || !plain.subarray(32, 64).equals(bot.phoneIdentity.public)) {
      return fail('key bundle names other identities')
    }
    const identityShared = Curve.sharedKey(bot.phoneIdentity.private, companionIdentity)
    const advSecret = Buffer.from(
      hkdfSync('sha256', Buffer.concat([companionShared, identityShared, plain.subarray(64, 96)]), Buffer.alloc(0), 'adv_secret', 32),
    )
    const registration = this.pairing.forSession(session)
    const done = req.done
    this.forget(session)
    if (!registration) return fail('the client is not registering')
    // Reply to companion_finish first, then the phone sends pair-success.
    setImmediate(() => {
      this.pairing.complete(registration, req.phone, advSecret, companionIdentity).then(
        () => done?.resolve(),
        (e: unknown) => done?.reject(e instanceof Error ? e : new Error(String(e))),
      )
    })
    return undefined
  }

  private forget(session: BotSession): void {
    for (let i = this.requests.length - 1; i >= 0; i--) if (this.requests[i]!.session === session) this.requests.splice(i, 1)
  }
}
