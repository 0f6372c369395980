// A simulated contact as tests hold it: who they are, plus saying things to
// the bot and reading what the bot said back in their chat.
import type { proto } from '@whiskeysockets/baileys'
import type { BotActivity, ChatState } from './bot-activity.js'
import type { BotMessage } from './bot-message.js'
import { ContactActions, type VoteOptions } from './contact-actions.js'
import type { Location } from './contact-messages.js'
import type { MediaKind, MediaOptions } from './media-message.js'
import { contactSignal } from './contact-state.js'
import type { ContactLike } from './signal-host.js'
import type { ReplyQuery, SayOptions, SendOptions, SignalLayer } from './signal-layer.js'

export type MediaSendOptions = MediaOptions & SendOptions

export class SimContact {
  private readonly actions: ContactActions

  constructor(
    private readonly layer: SignalLayer,
    readonly info: ContactLike,
  ) {
    this.actions = new ContactActions(layer, info)
  }

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

  // Media: encrypted with a fresh key, uploaded to the emulator's media host, then sent.
  sendMedia(kind: MediaKind, bytes: Uint8Array, opts?: MediaSendOptions): Promise<{ id: string }> {
    return this.actions.sendMedia(kind, bytes, opts)
  }

  sendImage(bytes: Uint8Array, opts?: MediaSendOptions): Promise<{ id: string }> {
    return this.actions.sendMedia('image', bytes, opts)
  }

  sendDocument(bytes: Uint8Array, opts?: MediaSendOptions): Promise<{ id: string }> {
    return this.actions.sendMedia('document', bytes, opts)
  }

  sendAudio(bytes: Uint8Array, opts?: MediaSendOptions): Promise<{ id: string }> {
    return this.actions.sendMedia('audio', bytes, opts)
  }

  sendVideo(bytes: Uint8Array, opts?: MediaSendOptions): Promise<{ id: string }> {
    return this.actions.sendMedia('video', bytes, opts)
  }

  sendSticker(bytes: Uint8Array, opts?: MediaSendOptions): Promise<{ id: string }> {
    return this.actions.sendMedia('sticker', bytes, opts)
  }

  /** Reacts to message `id` (the bot's, or this contact's own); `''` removes the reaction. */
  react(id: string, emoji: string, opts?: SendOptions): Promise<{ id: string }> {
    return this.actions.react(id, emoji, opts)
  }

  sendPoll(name: string, options: string[], opts?: SendOptions & { selectableCount?: number }): Promise<{ id: string }> {
    return this.actions.poll(name, options, opts)
  }

  /** Votes on poll `pollId` for the options named. */
  vote(pollId: string, options: string[], opts?: VoteOptions): Promise<{ id: string }> {
    return this.actions.vote(pollId, options, opts)
  }

  /** Edits this contact's own message `id`. */
  edit(id: string, text: string, opts?: SendOptions): Promise<{ id: string }> {
    return this.actions.edit(id, text, opts)
  }

  /** Deletes this contact's own message `id` for everyone. */
  deleteForEveryone(id: string, opts?: SendOptions): Promise<{ id: string }> {
    return this.actions.deleteForEveryone(id, opts)
  }

  sendLocation(location: Location, opts?: SendOptions): Promise<{ id: string }> {
    return this.actions.sendLocation(location, opts)
  }

  sendContactCard(card: { name: string; phone: string }, opts?: SendOptions): Promise<{ id: string }> {
    return this.actions.sendContactCard(card, opts)
  }

  /** Read receipts (blue ticks) for bot messages this contact got. */
  read(...ids: string[]): void {
    this.layer.receipt(this.info, ids, 'read')
  }

  /** Played receipts for voice notes and videos the bot sent. */
  played(...ids: string[]): void {
    this.layer.receipt(this.info, ids, 'played')
  }

  /** Delivery receipts (two grey ticks) for bot messages this contact got. */
  delivered(...ids: string[]): void {
    this.layer.receipt(this.info, ids, 'delivered')
  }

  /** The next read receipt the bot sent for this contact's messages. */
  async nextBotRead(query: ReplyQuery = {}): Promise<string[]> {
    const a = await this.layer.nextActivity('read', { chat: this.info.jid, ...query })
    return a.kind === 'read' ? a.ids : []
  }

  /** The next chat state (typing, recording, paused) the bot sent to this contact's chat. */
  async nextChatState(query: ReplyQuery = {}): Promise<ChatState> {
    const a: BotActivity = await this.layer.nextActivity('chatstate', { chat: this.info.jid, ...query })
    return a.kind === 'chatstate' ? a.state : 'paused'
  }
}
