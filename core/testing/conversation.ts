// Contacts writing to the bot and reading what it writes back, over the
// emulator's Signal layer; when an answer does not come, the error says what
// the bot did instead.
import type { BotMessage, SignalLayer } from '../../emulator/signal/index.js'
import type { Emulator } from '../../emulator/index.js'
import { resolve } from '../container.js'
import type { Runtime } from '../runtime.js'
import { Tokens } from '../tokens.js'
import type { MessageQuery, SayOptions, TestChat, TestContact, TestMessage } from './api.js'

/**
 * Delivery is the emulator's and the WhatsApp client's business, not the
 * plugin's, so a short reply timeout (for a test expecting silence) does not
 * shorten it; a first message in a group also carries encryption keys.
 */
const DELIVERY_TIMEOUT_MS = 10_000

export interface ConversationDeps {
  runtime: Runtime
  /** The phone of a session, by id; throws for one the bot does not have. */
  phoneOf: (session: string) => string
  emulator: Emulator
  signal: SignalLayer
  owner: TestContact
  timeoutMs: number
  problems: () => string[]
}

export class Conversation {
  constructor(private readonly deps: ConversationDeps) {}

  async say(text: string, options: SayOptions = {}): Promise<string[]> {
    const timeoutMs = options.timeoutMs ?? this.deps.timeoutMs
    const { id, from, where } = await this.deliver(text, options)
    const chat = typeof options.in === 'string' ? options.in : options.in?.jid
    const replies: BotMessage[] = []
    try {
      replies.push(...(await this.deps.signal.repliesTo(id, { count: 1, timeoutMs })))
    } catch (error) {
      if ((error as Error).message === 'emulator stopped') throw new Error(`the bot was stopped while ${from.name} waited for a reply to ${JSON.stringify(text)}`, { cause: error })
      throw new Error(this.noReply(text, from, where, chat ?? from.jid, timeoutMs), { cause: error })
    }
    // The chat router answers a command last, so any other reply to it is already here.
    for (;;) {
      const [more] = await this.deps.signal.repliesTo(id, { count: 1, timeoutMs: 0 }).catch(() => [])
      if (!more) break
      replies.push(more)
    }
    return replies.map((m) => m.text)
  }

  async send(text: string, options: SayOptions = {}): Promise<string> {
    return (await this.deliver(text, options)).id
  }

  async nextMessage(query: MessageQuery = {}): Promise<TestMessage> {
    const timeoutMs = query.timeoutMs ?? this.deps.timeoutMs
    const chat = chatJid(query.in)
    try {
      return view(await this.deps.signal.nextReply({ timeoutMs, ...(chat ? { chat } : {}) }))
    } catch (error) {
      const where = chat ? ` in ${this.chatName(query.in, chat)}` : ''
      const last = chat ? this.lastIn(chat) : this.deps.signal.replies.at(-1)
      const there = chat ? ' there' : ''
      const lastLine = last ? `Its last message${there}: ${JSON.stringify(last.text)} (already taken by an earlier say or nextMessage).` : `It has sent nothing${there} yet.`
      throw new Error([`The bot sent no new message${where} within ${timeoutMs} ms.`, lastLine, ...this.logLines()].join('\n'), { cause: error })
    }
  }

  messages(query: Omit<MessageQuery, 'timeoutMs'> = {}): TestMessage[] {
    const chat = chatJid(query.in)
    return this.deps.signal.replies.filter((m) => chat === undefined || m.chat === chat).map(view)
  }

  /** Sends as a contact; resolves once the bot's WhatsApp client has acknowledged it. */
  private async deliver(text: string, options: SayOptions): Promise<{ id: string; from: TestContact; where: string }> {
    const timeoutMs = DELIVERY_TIMEOUT_MS
    const from = options.from ?? this.deps.owner
    const group = options.in
    const jid = typeof group === 'string' ? group : group?.jid
    const where = jid ? `in "${typeof group === 'string' ? jid : group?.subject}"` : 'in a private chat'
    if (jid) {
      const view = this.deps.emulator.group(jid)
      if (!view) throw new Error(`there is no group ${jid} to write in; make one with bot.group(...)`)
      if (!view.participants.some((p) => p.jid === from.jid)) throw new Error(`${from.name} is not a member of "${view.subject}", so cannot write there; add them first`)
    }
    if (jid && options.to) throw new Error(`say(..., { to: '${options.to}' }) is for private chats; in a group, every session in it gets the message`)
    const to = options.to === undefined ? undefined : this.deps.phoneOf(options.to)
    try {
      const { id } = await this.deps.signal.contact(from.phone).say(text, { timeoutMs, ...(jid ? { group: jid } : {}), ...(to ? { to } : {}) })
      return { id, from, where }
    } catch (error) {
      throw new Error(`${from.name}'s message ${JSON.stringify(text)} ${where} did not reach the bot within ${timeoutMs} ms: ${(error as Error).message}`, { cause: error })
    }
  }

  private noReply(text: string, from: TestContact, where: string, chat: string, timeoutMs: number): string {
    const last = this.lastIn(chat)
    return [
      `${JSON.stringify(text)} from ${from.name} ${where} got no reply within ${timeoutMs} ms.`,
      ...this.commandHint(text, chat),
      last ? `The bot's last message in that chat: ${JSON.stringify(last.text)}` : 'The bot has not written in that chat.',
      ...this.logLines(),
    ].join('\n')
  }

  /** Why a message may not be taken as a command at all. */
  private commandHint(text: string, chat: string): string[] {
    const { prefixes } = this.deps.runtime.config.chat
    const prefix = [...prefixes].sort((a, b) => b.length - a.length).find((p) => text.trimStart().startsWith(p))
    if (prefix === undefined) return [`It does not start with a command prefix (${prefixes.join(' ')}), so it is not a command.`]
    const name = text.trimStart().slice(prefix.length).split(/\s+/)[0]?.toLowerCase() ?? ''
    const registry = resolve(this.deps.runtime.container, Tokens.Actions)
    if (registry.byCommand(name)) return []
    const known = registry
      .list()
      .flatMap((a) => (a.definition.chat ? [`${prefix}${a.definition.chat.command}`] : []))
      .sort()
    const failed = this.deps.runtime.plugins().filter((p) => p.state === 'failed')
    return [
      `No plugin has the command ${prefix}${name}${chat.endsWith('@g.us') ? ' (in groups the bot stays quiet about unknown commands)' : ''}; the commands are: ${known.join(', ') || 'none'}.`,
      ...failed.map((p) => `Plugin '${p.name}' failed: ${p.reason ?? 'no reason given'}.`),
    ]
  }

  private logLines(): string[] {
    const problems = this.deps.problems().slice(-5)
    return problems.length ? ['The runtime logged:', ...problems.map((line) => `  ${line}`)] : []
  }

  private lastIn(chat: string): BotMessage | undefined {
    return this.deps.signal.replies.filter((m) => m.chat === chat).at(-1)
  }

  private chatName(chat: TestChat | string | undefined, jid: string): string {
    if (chat === undefined || typeof chat === 'string') return jid
    return 'subject' in chat ? `"${chat.subject}"` : `the private chat with ${chat.name}`
  }
}

function chatJid(chat: TestChat | string | undefined): string | undefined {
  return typeof chat === 'string' ? chat : chat?.jid
}

function view(m: BotMessage): TestMessage {
  const out: TestMessage = { id: m.id, chat: m.chat, from: m.bot, text: m.text, mentions: [...m.mentions], kind: m.kind, ...(m.quotedId ? { quotedId: m.quotedId } : {}) }
  if (m.media) {
    const { bytes, mimetype, caption, fileName, ptt } = m.media
    out.media = { bytes, mimetype, ...(caption !== undefined ? { caption } : {}), ...(fileName !== undefined ? { fileName } : {}), ...(ptt !== undefined ? { ptt } : {}) }
  }
  if (m.mediaError) out.mediaError = m.mediaError
  if (m.reaction) out.reaction = { id: m.reaction.id, text: m.reaction.text }
  if (m.poll) out.poll = { name: m.poll.name, options: m.poll.options, selectableCount: m.poll.selectableCount }
  if (m.edit) out.edit = m.edit
  if (m.delete) out.delete = m.delete
  if (m.location) out.location = m.location
  if (m.contacts) out.contacts = m.contacts
  if (m.linkPreview) out.linkPreview = m.linkPreview
  return out
}
