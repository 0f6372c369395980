// A registered companion logging in: check it is the device we paired,
// send <success>, and replace any older session of the same bot the way the
// real server does (the old one gets a conflict stream error).
import type { proto } from '@whiskeysockets/baileys'
import type { EmulatorHost } from '../server/host.js'
import type { BotSession } from '../server/session.js'
import { node } from '../wire/binary-node.js'

export interface LoginOptions {
  /**
   * A login for an account this world never paired (e.g. the emulator was
   * restarted but the bot kept its auth folder) is adopted rather than
   * refused, so a sandbox survives restarts.
   */
  adoptUnknown: boolean
}

export class Login {
  private current: BotSession | undefined

  constructor(
    private readonly host: EmulatorHost,
    private readonly opts: LoginOptions,
  ) {}

  get session(): BotSession | undefined {
    return this.current?.isOpen && this.current.state === 'open' ? this.current : undefined
  }

  begin(session: BotSession, payload: proto.ClientPayload): void {
    const phone = payload.username == null ? '' : String(payload.username)
    const device = payload.device ?? 0
    const { world } = this.host
    let bot = world.bot
    const unlinked = session.clientStatic !== undefined && world.unlinked.has(session.clientStatic.toString('hex'))
    if (!bot?.companion && this.opts.adoptUnknown && phone && !unlinked) {
      bot = world.ensureBot(phone)
      bot.companion = {
        device,
        identityKey: Buffer.alloc(0),
        noiseKey: session.clientStatic ?? Buffer.alloc(0),
        advSecret: Buffer.alloc(0),
        registrationId: 0,
        keyIndex: 0,
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
    const previous = this.session
    if (previous && previous !== session) {
      previous.streamError([node('conflict', { type: 'replaced' })])
    }
    this.current = session
    session.state = 'open'
    session.onClose(() => {
      if (this.current === session) this.current = undefined
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
