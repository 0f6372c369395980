// A simulated contact as tests hold it: who they are, plus saying things to
// the bot and reading what the bot said back in their chat.
import type { proto } from '@whiskeysockets/baileys'
import type { BotMessage } from './bot-message.js'
import { contactSignal } from './contact-state.js'
import type { ContactLike } from './signal-host.js'
import type { ReplyQuery, SayOptions, SendOptions, SignalLayer } from './signal-layer.js'

export class SimContact {
  constructor(
    private readonly layer: SignalLayer,
    readonly info: ContactLike,
  ) {}

  /** `phone@s.whatsapp.net` */
  get jid(): string {
    return this.info.jid
  }

  /** `lid@lid` */
  get lid(): string {
    return this.info.lid
  }

  get name(): string {
    return this.info.name
  }

  /**
   * Links a companion device (like WhatsApp Web) that receives what the bot
   * sends; returns its device id. Link before the bot first writes to this
   * contact: the client caches device lists.
   */
  linkDevice(): number {
    return contactSignal(this.info).linkDevice()
  }

  say(text: string, opts?: SayOptions): Promise<{ id: string }> {
    return this.layer.say(this.info, text, opts)
  }

  /** Any message, e.g. `{ reactionMessage: { key, text: '👍' } }`. */
  send(message: proto.IMessage, opts?: SendOptions): Promise<{ id: string }> {
    return this.layer.send(this.info, message, opts)
  }

  /** The bot's next message in this contact's 1:1 chat (or in `chat`). */
  nextReply(query: ReplyQuery = {}): Promise<BotMessage> {
    return this.layer.nextReply({ chat: this.info.jid, ...query })
  }
}
