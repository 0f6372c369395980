// What a contact's phone can do beyond typing: media, reactions, polls and
// votes, edits and deletes, locations, contact cards. Each builds the
// message a phone would send, naming its target as the contact sees it, and
// sends it through the layer like any other message.
import type { proto } from '@whiskeysockets/baileys'
import {
  contactCardMessage,
  editMessage,
  locationMessage,
  pollMessage,
  pollVoteMessage,
  reactionMessage,
  revokeMessage,
  type Location,
  type TargetKey,
} from './contact-messages.js'
import { mediaMessage, type MediaKind, type MediaOptions } from './media-message.js'
import type { ContactLike } from './signal-host.js'
import type { SendOptions, SignalLayer } from './signal-layer.js'

export interface VoteOptions extends SendOptions {
  /** The jids the poll's author decrypts with; default the bot's phone jid and the contact's lid (what the bot's key shows). */
  creatorJid?: string
  voterJid?: string
}

export class ContactActions {
  constructor(
    private readonly layer: SignalLayer,
    private readonly contact: ContactLike,
  ) {}

  sendMedia(kind: MediaKind, bytes: Uint8Array, opts: MediaOptions & SendOptions = {}): Promise<{ id: string }> {
    const message = mediaMessage(this.layer.mediaStore(), kind, bytes, this.contact.phone, opts)
    return this.layer.send(this.contact, message, opts)
  }

  react(id: string, emoji: string, opts: SendOptions = {}): Promise<{ id: string }> {
    return this.layer.send(this.contact, reactionMessage(this.target(id, opts), emoji), this.routed(id, opts))
  }

  poll(name: string, options: string[], opts: SendOptions & { selectableCount?: number } = {}): Promise<{ id: string }> {
    return this.layer.send(this.contact, pollMessage(name, options, opts.selectableCount ?? 1), opts)
  }

  /** Votes on poll `pollId` (the bot's or the contact's own) for `options` (their names). */
  vote(pollId: string, options: string[], opts: VoteOptions = {}): Promise<{ id: string }> {
    const botPoll = this.layer.botMessage(pollId)
    const own = this.layer.contactMessage(pollId)
    const secret = botPoll?.poll?.messageSecret ?? own?.message?.messageContextInfo?.messageSecret
    if (!secret?.length) throw new Error(`vote: ${pollId} is no poll this contact saw, or it carries no messageSecret`)
    const creatorJid = opts.creatorJid ?? botPoll?.bot ?? this.contact.lid
    const voterJid = opts.voterJid ?? this.contact.lid
    const message = pollVoteMessage(this.target(pollId, opts), options, { secret, pollId, creatorJid, voterJid })
    return this.layer.send(this.contact, message, this.routed(pollId, opts))
  }

  /** Edits the contact's own message `id`. */
  edit(id: string, text: string, opts: SendOptions = {}): Promise<{ id: string }> {
    return this.layer.send(this.contact, editMessage(this.ownTarget(id, opts), text), opts)
  }

  /** Deletes the contact's own message `id` for everyone. */
  deleteForEveryone(id: string, opts: SendOptions = {}): Promise<{ id: string }> {
    return this.layer.send(this.contact, revokeMessage(this.ownTarget(id, opts)), opts)
  }

  sendLocation(location: Location, opts: SendOptions = {}): Promise<{ id: string }> {
    return this.layer.send(this.contact, locationMessage(location), opts)
  }

  sendContactCard(card: { name: string; phone: string }, opts: SendOptions = {}): Promise<{ id: string }> {
    return this.layer.send(this.contact, contactCardMessage(card.name, card.phone.replace(/\D/g, '')), opts)
  }

  /** Sends any message, e.g. a raw `proto.IMessage` the helpers do not cover. */
  send(message: proto.IMessage, opts: SendOptions = {}): Promise<{ id: string }> {
    return this.layer.send(this.contact, message, opts)
  }

  /** A reaction or vote on a bot's message goes to the bot that sent it, in its chat. */
  private routed(id: string, opts: SendOptions): SendOptions {
    const m = this.layer.botMessage(id)
    if (!m || opts.group !== undefined || opts.to !== undefined) return opts
    return m.chat.endsWith('@g.us') ? { ...opts, group: m.chat } : { ...opts, to: m.bot }
  }

  private target(id: string, opts: SendOptions): TargetKey {
    const bot = this.layer.botMessage(id)
    if (bot) {
      const group = bot.chat.endsWith('@g.us') ? bot.chat : undefined
      return group ? { remoteJid: group, id, fromMe: false, participant: bot.bot } : { remoteJid: bot.bot, id, fromMe: false }
    }
    return this.ownTarget(id, opts)
  }

  private ownTarget(id: string, opts: SendOptions): TargetKey {
    const own = this.layer.contactMessage(id)
    if (!own || own.participant !== this.contact.lid) throw new Error(`${id} is not a message ${this.contact.name} sent through the emulator`)
    const remoteJid = opts.group ?? this.layer.botJid(opts.to)
    return { remoteJid, id, fromMe: true }
  }
}
