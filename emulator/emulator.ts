// Wires the pieces into one running server: HTTP + WebSocket listener,
// sessions, the router with the built-in modules, the world and faults.
// The world holds any number of bot accounts; the single-bot members
// (botPhone, faults, connected, ...) act on the first one.
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { proto } from '@whiskeysockets/baileys'
import type { Server as HttpsServer } from 'node:https'
import { installGroups } from './groups/index.js'
import { installMediaConn } from './media/media-conn.js'
import { startMediaServer, stopMediaServer } from './media/media-server.js'
import { MediaStore } from './media/media-store.js'
import { mediaTrustReady } from './trust.js'
import { installPreKeys } from './login/prekeys.js'
import { Login } from './login/login.js'
import { installSessionIqs } from './login/session-iqs.js'
import { PairingCodes } from './pairing/pairing-code.js'
import { Pairing } from './pairing/pairing.js'
import { scanQr } from './pairing/qr.js'
import type { EmulatedBot, Emulator, EmulatorOptions, Faults } from './api.js'
import { loadSignalLayer } from './extensions.js'
import { defaultText, FaultState, type FaultScope } from './server/faults.js'
import type { EmulatorHost } from './server/host.js'
import { Router } from './server/router.js'
import { BotSession } from './server/session.js'
import { attachWsServer, type WsServer } from './server/ws-server.js'
import { type BinaryNode, node } from './wire/binary-node.js'
import { makeCertChain } from './wire/certificates.js'
import { newKeyPair, type KeyPair } from './wire/key-pair.js'
import type { BotAccount } from './world/bot-account.js'
import type { Contact, GroupAddBehaviour } from './world/contact.js'
import { viewOf, type GroupView } from './world/group.js'
import { digits, isLid, lidJid, lidUserFor, pnJid } from './world/jids.js'
import { World } from './world/world.js'

class RunningEmulator implements Emulator {
  readonly world = new World()
  readonly router = new Router()
  readonly faultState = new FaultState(() => this.world.bot?.phone)
  readonly media = new MediaStore()
  readonly host: EmulatorHost = {
    world: this.world,
    router: this.router,
    faults: this.faultState,
    media: this.media,
    log: (line) => this.log(line),
    session: (bot) => this.sessionOf(bot),
    sessions: () => this.login.sessions(),
    sendToBot: (n, bot) => this.sessionOf(bot)?.send(n) ?? false,
    queryBot: (iq, timeoutMs, bot) => {
      const s = this.sessionOf(bot)
      return s ? s.query(iq, timeoutMs) : Promise.reject(new Error(`queryBot: the bot${bot ? ` ${bot.phone}` : ''} is not connected`))
    },
    nextId: () => `EMU${Date.now().toString(16).toUpperCase()}${(++this.idCounter).toString(16).toUpperCase()}`,
    now: () => Math.floor(Date.now() / 1000),
    onStop: (cb) => void this.stopHooks.push(cb),
    onActive: (cb) => void this.activeHooks.push(cb),
  }
  private readonly activeHooks: ((session: BotSession) => number | void | Promise<number | void>)[] = []
  private readonly stopHooks: (() => void | Promise<void>)[] = []
  url = ''
  private readonly serverStatic: KeyPair = newKeyPair()
  private readonly certChain: Uint8Array = makeCertChain(this.serverStatic.public)
  private readonly sessions = new Set<BotSession>()
  private readonly pairing = new Pairing(this.host)
  private readonly codes = new PairingCodes(this.host, this.pairing)
  private readonly login = new Login(this.host, { adoptUnknown: true })
  private readonly groupsApi: ReturnType<typeof installGroups>
  private http: Server | undefined
  private wss: WsServer | undefined
  private mediaServer: HttpsServer | undefined
  private idCounter = 0
  readonly log: (line: string) => void

  constructor(private readonly opts: EmulatorOptions) {
    this.log = opts.log ?? (() => {})
    installPreKeys(this.host)
    installSessionIqs(this.host, (session) => this.runActiveHooks(session))
    this.groupsApi = installGroups(this.host)
    installMediaConn(this.host, this.media)
    // Messages nobody claimed still get the server ack, so the sender's
    // bookkeeping completes even without the Signal layer installed.
    this.router.on('message', (stanza, session) => {
      session.send(node('ack', { id: stanza.attrs.id, class: 'message', from: stanza.attrs.to, t: String(this.now()) }))
      return true
    })
  }

  /** The first bot's faults; armed rules act on its connections and on any not logged in yet. */
  get faults(): Faults & { state: FaultState } {
    return { state: this.faultState, ...this.faultsFor(undefined) }
  }

  /** Faults scoped to one bot (`scope` its phone), or to the first bot and pairing connections (undefined). */
  private faultsFor(scope: FaultScope): Faults {
    const f = this.faultState
    const to = (opts?: { to?: string }) => (opts?.to === undefined ? undefined : this.addressedTo(opts.to))
    return {
      dropConnection: () => this.targets(scope).forEach((s) => s.drop()),
      streamError: (code) => this.targets(scope).forEach((s) => this.streamErrorOn(s, code)),
      silence: () => this.targets(scope).forEach((s) => s.silence()),
      delayIq: (m, ms) => f.delayIq(m, ms, scope),
      swallowIq: (m) => f.swallowIq(m, scope),
      dropOnNext: (tag, opts) => f.onNext(tag, 'lost, connection drops', to(opts), scope),
      dropAfterNext: (tag, opts) => f.onNext(tag, 'arrives, connection drops', to(opts), scope),
      loseNext: (tag, opts) => f.onNext(tag, 'lost, connection stays', to(opts), scope),
      loseIqAnswer: (m) => f.loseIqAnswer(m, scope),
      closeAfterIq: (m, how) => f.closeAfterIq(m, how, scope),
      refuseGroupOp: (op, code, text) => f.refuseGroupOp(op, code, text ?? defaultText(code), scope),
      // The emulator-wide faults were always "everything"; a bot's clear() leaves the others armed.
      clear: () => (scope === undefined ? f.clear() : f.clearScope(scope)),
    }
  }

  async listen(): Promise<void> {
    const http = createServer((_req, res) => {
      res.writeHead(426, { 'content-type': 'text/plain' }).end('WhatsApp emulator: connect with a WebSocket to /ws/chat\n')
    })
    this.http = http
    this.wss = attachWsServer(http, '/ws/chat')
    this.wss.on('error', (err) => this.log(`websocket server error: ${err.message}`))
    this.wss.on('connection', (socket, request) => {
      const session = new BotSession(socket, {
        router: this.router,
        faults: this.faultState,
        serverStatic: this.serverStatic,
        certChain: this.certChain,
        log: this.log,
        iqTimeoutMs: this.opts.iqTimeoutMs ?? 10_000,
        onClientPayload: (s, p) => this.onClientPayload(s, p),
        onClose: (s) => this.sessions.delete(s),
      }, request.socket)
      this.sessions.add(session)
    })
    const host = this.opts.host ?? '127.0.0.1'
    await new Promise<void>((resolve, reject) => {
      http.once('error', reject)
      http.listen(this.opts.port ?? 0, host, () => resolve())
    })
    const { port } = http.address() as AddressInfo
    this.url = `ws://${host.includes(':') ? `[${host}]` : host}:${port}/ws/chat`
    this.mediaServer = await startMediaServer(this.media, host, this.log)
    // The client's first download may come soon after; the process must trust the media host by then.
    await mediaTrustReady()
    const signal = this.opts.signal === false ? undefined : await loadSignalLayer()
    for (const ext of [...(signal ? [signal] : []), ...(this.opts.extensions ?? [])]) await ext(this.host)
  }

  private onClientPayload(session: BotSession, payload: proto.ClientPayload): void {
    if (payload.devicePairingData) this.pairing.begin(session, payload)
    else this.login.begin(session, payload)
  }

  /** Whether a stanza is addressed to this group, or to this person whichever of their jids it names. */
  private addressedTo(phoneOrJid: string): (stanza: BinaryNode) => boolean {
    if (phoneOrJid.endsWith('@g.us')) {
      if (!this.world.group(phoneOrJid)) throw new Error(`there is no group ${phoneOrJid}; create it first`)
      return (stanza) => stanza.attrs.to === phoneOrJid
    }
    const person = this.world.person(phoneOrJid.includes('@') ? phoneOrJid : `${digits(phoneOrJid)}@s.whatsapp.net`)
    if (!person) throw new Error(`nobody is ${phoneOrJid}; add the contact with emu.addContact first`)
    return (stanza) => this.world.person(stanza.attrs.to ?? '')?.pn === person.pn
  }

  /**
   * A bot's logged-in session; for the first bot (no scope), while it has
   * none (e.g. mid-pairing), every open connection not logged in as a bot.
   */
  private targets(scope: FaultScope): BotSession[] {
    if (scope !== undefined) {
      const bot = this.world.bots.get(scope)
      const s = bot ? this.login.sessionOf(bot) : undefined
      return s ? [s] : []
    }
    const s = this.session()
    return s ? [s] : [...this.sessions].filter((x) => x.isOpen && !x.bot)
  }

  private streamErrorOn(s: BotSession, code: 515 | 440 | 401): void {
    if (code === 401) {
      // The account unlinked this device: its registration is gone for good.
      if (s.bot && s === this.login.sessionOf(s.bot)) this.world.unlink(s.bot)
      s.send(node('failure', { reason: '401', location: 'emu' }))
      s.close()
    } else if (code === 440) s.streamError([node('conflict', { type: 'replaced' })])
    else s.streamError([], { code: '515' })
  }

  private async runActiveHooks(session: BotSession): Promise<number> {
    let queued = 0
    for (const hook of this.activeHooks) {
      try {
        queued += (await hook(session)) ?? 0
      } catch (err) {
        this.log(`active hook failed: ${(err as Error).message}`)
      }
    }
    return queued
  }

  private session(): BotSession | undefined {
    return this.login.session
  }

  private sessionOf(bot: BotAccount | undefined): BotSession | undefined {
    return bot ? this.login.sessionOf(bot) : this.login.session
  }

  private botHandle(phone: string): EmulatedBot {
    const account = (): BotAccount | undefined => this.world.bots.get(phone)
    const faults = this.faultsFor(phone)
    return {
      phone,
      jid: pnJid(phone),
      lid: lidJid(lidUserFor(phone)),
      get deviceJid() {
        return account()?.deviceJid
      },
      get deviceLid() {
        return account()?.deviceLid
      },
      paired: () => account()?.companion !== undefined,
      connected: () => {
        const bot = account()
        return bot !== undefined && this.login.sessionOf(bot) !== undefined
      },
      faults,
    }
  }

  private now(): number {
    return this.host.now()
  }

  // Emulator
  get botPhone(): string | undefined {
    return this.world.bot?.companion ? this.world.bot.phone : undefined
  }

  scanQr(qr: string, opts?: { phone?: string }): Promise<void> {
    return scanQr(this.pairing, qr, opts?.phone)
  }

  confirmPairingCode(code: string, opts?: { phone?: string }): Promise<void> {
    return this.codes.confirm(code, opts?.phone === undefined ? {} : { phone: opts.phone })
  }

  bots(): EmulatedBot[] {
    return [...this.world.bots.values()].filter((b) => b.companion).map((b) => this.botHandle(b.phone))
  }

  bot(phoneOrJid?: string): EmulatedBot {
    if (phoneOrJid === undefined) {
      const first = this.world.bot
      if (!first) throw new Error('emu.bot(): no bot account yet; pair one with scanQr or confirmPairingCode')
      return this.botHandle(first.phone)
    }
    if (isLid(phoneOrJid)) {
      const bot = this.world.botOf(phoneOrJid)
      if (!bot) throw new Error(`emu.bot(): no bot account has the lid ${phoneOrJid}`)
      return this.botHandle(bot.phone)
    }
    const phone = digits(phoneOrJid)
    if (!phone) throw new Error(`emu.bot(): "${phoneOrJid}" names no phone number`)
    // A handle for a phone not paired yet is fine: faults armed on it wait for that bot.
    return this.botHandle(phone)
  }

  addContact(c: { phone: string; name?: string; onGroupAdd?: GroupAddBehaviour }): Contact {
    return this.world.addContact(c.phone, c.name, c.onGroupAdd)
  }

  contact(phoneOrJid: string): Contact | undefined {
    return this.world.contact(phoneOrJid)
  }

  groups(): GroupView[] {
    return [...this.world.groups.values()].map(viewOf)
  }

  group(jid: string): GroupView | undefined {
    const g = this.world.group(jid)
    return g ? viewOf(g) : undefined
  }

  createGroupAs(creatorPhone: string, subject: string, members: string[], opts?: { botIsAdmin?: boolean; admins?: string[]; bots?: string[] }): GroupView {
    const bots = opts?.bots?.map((b) => {
      const bot = this.world.botOf(b)
      if (!bot) throw new Error(`createGroupAs: no bot account ${b}`)
      return bot
    })
    return viewOf(this.groupsApi.createAs(digits(creatorPhone), subject, members, opts?.botIsAdmin ?? false, opts?.admins ?? [], bots))
  }

  requestToJoin(groupJid: string, phoneOrJid: string): void {
    this.groupsApi.requestToJoin(groupJid, phoneOrJid)
  }

  participantsAs(actorPhone: string, groupJid: string, phones: string[], action: 'add' | 'remove' | 'promote' | 'demote'): BinaryNode {
    return this.groupsApi.participantsAs(actorPhone, groupJid, phones, action)
  }

  updateGroupAs(actorPhone: string, groupJid: string, change: { subject?: string; description?: string }): void {
    this.groupsApi.updateAs(actorPhone, groupJid, change)
  }

  connected(): boolean {
    return this.session() !== undefined
  }

  async stop(): Promise<void> {
    for (const hook of this.stopHooks.splice(0)) {
      try {
        await hook()
      } catch (err) {
        this.log(`stop hook failed: ${(err as Error).message}`)
      }
    }
    for (const s of this.sessions) s.drop()
    this.sessions.clear()
    if (this.mediaServer) await stopMediaServer(this.mediaServer)
    const wss = this.wss
    const http = this.http
    if (wss) await new Promise<void>((r) => wss.close(() => r()))
    if (http) {
      http.closeAllConnections()
      await new Promise<void>((r) => http.close(() => r()))
    }
  }
}

export async function startEmulator(opts: EmulatorOptions = {}): Promise<Emulator> {
  const emu = new RunningEmulator(opts)
  await emu.listen()
  return emu
}
