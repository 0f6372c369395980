// A contact as tests hold it: who they are, and what they do from their
// phone besides typing (media, reactions, polls, edits, receipts), over the
// emulator's Signal layer and media host. Each action resolves once the
// bot's WhatsApp client has the message.
import type { SignalLayer } from '../../emulator/signal/index.js'
import type { Emulator } from '../../emulator/index.js'
import type { ContactMediaOptions, ContactSendOptions, TestContact } from './api.js'

/** Like a chat message's delivery: the emulator's and the client's business, so not the reply timeout. */
const DELIVERY_TIMEOUT_MS = 10_000

export interface ContactDeps {
  emulator: Emulator
  signal: SignalLayer
  /** The phone of a session, by id. */
  phoneOf: (session: string) => string
  timeoutMs: number
}

export function contactHandle(deps: ContactDeps, who: { name: string; phone: string; jid: string; lid: string }): TestContact {
  const sim = () => deps.signal.contact(who.phone)
  const route = (opts: ContactSendOptions = {}): { group?: string; to?: string; timeoutMs: number } => {
    const group = typeof opts.in === 'string' ? opts.in : opts.in?.jid
    if (group && opts.to) throw new Error(`{ in, to }: 'to' picks a session for a private chat; in a group every session in it gets the message`)
    return { timeoutMs: DELIVERY_TIMEOUT_MS, ...(group ? { group } : {}), ...(opts.to ? { to: deps.phoneOf(opts.to) } : {}) }
  }
  const done = async (what: string, p: () => Promise<{ id: string }>): Promise<string> => {
    try {
      return (await p()).id
    } catch (error) {
      throw new Error(`${who.name}'s ${what} did not reach the bot: ${(error as Error).message}`, { cause: error })
    }
  }
  const media = (kind: 'image' | 'document' | 'audio' | 'video' | 'sticker') => (bytes: Uint8Array, opts: ContactMediaOptions = {}) => {
    const { in: _in, to: _to, ...content } = opts
    return done(kind, () => sim().sendMedia(kind, bytes, { ...content, ...route(opts) }))
  }
  const wait = (query: { timeoutMs?: number } = {}) => ({ timeoutMs: query.timeoutMs ?? deps.timeoutMs })
  return Object.freeze({
    ...who,
    sendImage: media('image'),
    sendDocument: media('document'),
    sendAudio: media('audio'),
    sendVideo: media('video'),
    sendSticker: media('sticker'),
    react: (id: string, emoji: string) => done('reaction', () => sim().react(id, emoji, { timeoutMs: DELIVERY_TIMEOUT_MS })),
    sendPoll: (name: string, options: string[], opts: ContactSendOptions & { selectableCount?: number } = {}) =>
      done('poll', () => sim().sendPoll(name, options, { ...route(opts), ...(opts.selectableCount ? { selectableCount: opts.selectableCount } : {}) })),
    vote: (pollId: string, options: string[]) => done('vote', () => sim().vote(pollId, options, { timeoutMs: DELIVERY_TIMEOUT_MS })),
    edit: (id: string, text: string, opts?: ContactSendOptions) => done('edit', () => sim().edit(id, text, route(opts))),
    deleteForEveryone: (id: string, opts?: ContactSendOptions) => done('delete', () => sim().deleteForEveryone(id, route(opts))),
    sendLocation: (location: { latitude: number; longitude: number; name?: string; address?: string }, opts?: ContactSendOptions) =>
      done('location', () => sim().sendLocation(location, route(opts))),
    sendContactCard: (card: { name: string; phone: string }, opts?: ContactSendOptions) => done('contact card', () => sim().sendContactCard(card, route(opts))),
    read: (...ids: string[]) => sim().read(...ids),
    delivered: (...ids: string[]) => sim().delivered(...ids),
    played: (...ids: string[]) => sim().played(...ids),
    nextBotRead: (query?: { timeoutMs?: number }) => sim().nextBotRead(wait(query)),
    nextChatState: (query?: { timeoutMs?: number }) => sim().nextChatState(wait(query)),
  })
}
