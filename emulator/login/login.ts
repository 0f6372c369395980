// A registered companion logging in: find the account by the phone it names,
// check it is the device we paired, send <success>, and replace any older
// session of the same bot the way the real server does (the old one gets a
// conflict stream error). Each bot account has its own current session.
import type { proto } from '@whiskeysockets/baileys'
import type { EmulatorHost } from '../server/host.js'
import type { BotSession } from '../server/session.js'
import { node } from '../wire/binary-node.js'
import type { BotAccount } from '../world/bot-account.js'

export interface LoginOptions {
  /**
   * A login for an account this world never paired (e.g. the emulator was
   * restarted but the bot kept its auth folder) is adopted rather than
   * refused, so a sandbox survives restarts.
   */
  adoptUnknown: boolean
}

export class Login {
  private readonly current = new Map<BotAccount, BotSession>()

  constructor(
    private readonly host: EmulatorHost,
    private readonly opts: LoginOptions,
  ) {}

  /** The first bot's logged-in session. */
  get session(): BotSession | undefined {
    const bot = this.host.world.bot
    return bot ? this.sessionOf(bot) : undefined
  }

  sessionOf(bot: BotAccount): BotSession | undefined {
    const s = this.current.get(bot)
    return s?.isOpen && s.state === 'open' ? s : undefined
  }

  /** Every bot's logged-in session. */
  sessions(): BotSession[] {
    return [...this.current.keys()].map((b) => this.sessionOf(b)).filter((s): s is BotSession => s !== undefined)
  }

  begin(session: BotSession, payload: proto.ClientPayload): void {
    const phone = payload.username == null ? '' : String(payload.username)
    const device = payload.device ?? 0
    const { world } = this.host
    let bot = phone ? world.bots.get(phone) : undefined
    const unlinked = session.clientStatic !== undefined && world.unlinked.has(session.clientStatic.toString('hex'))
    if (!bot?.companion && this.opts.adoptUnknown && phone && !unlinked) {
      bot = world.ensureBot(phone)
      bot.companion = {
        device,
        identityKey: Buffer.alloc(0),
        noiseKey: session.clientStatic ?? Buffer.alloc(0),
        advSecret: Buffer.alloc(0),
        registrationId: 0,
        // Unknown, but other clients drop a companion listed with key index 0.
        keyIndex: 1,
        platform: 'android',
      }
      this.host.log(`adopted unknown registered login ${phone}:${device}`)
    }
    const c = bot?.companion
    const known = bot && c && bot.phone === phone && c.device === device && (c.noiseKey.length === 0 || session.clientStatic?.equals(c.noiseKey))
    if (!known || !bot) {
      this.host.log(`login refused for ${phone}:${device}`)
      session.send(node('failure', { reason: '401', location: 'emu' }))
      session.close()
      return
    }
    if (payload.pushName) bot.pushName = payload.pushName
    const previous = this.sessionOf(bot)
    if (previous && previous !== session) {
      previous.streamError([node('conflict', { type: 'replaced' })])
    }
    this.current.set(bot, session)
    session.bot = bot
    session.state = 'open'
    session.onClose(() => {
      if (this.current.get(bot) === session) this.current.delete(bot)
    })
    session.send(
      node('success', {
        t: String(this.host.now()),
        props: '1',
        abprops: '1',
        location: 'emu',
        creation: String(this.host.now()),
        lid: bot.deviceLid,
        display_name: bot.pushName,
      }),
    )
  }
}
