// The testing kit's public shapes. Plugin authors program against these, so
// every name here is part of waplug's API.
import type { Envelope } from '../envelope.js'
import type { ConfigInput } from '../config.js'
import type { HttpMethod } from '../actions/action.js'
import type { PluginDefinition } from '../plugins/plugin.js'
import type { Runtime } from '../runtime.js'
import type { Emulator, GroupView } from '../../emulator/index.js'

/** A log level, or `false` for no log output. */
export type TestLogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | false

export interface TestBotOptions {
  /** Your plugins, as their default exports: `plugins: [welcome]`. */
  plugins?: PluginDefinition[]
  /**
   * Which of waplug's built-in plugins to load beside yours: their names,
   * `true` for all of them (as `npm start` does, to catch a command or route
   * that clashes with one of theirs) or `false` for none.
   * Default `['help']`: `!help` and `!ping`, as every bot has them.
   */
  builtins?: boolean | string[]
  /**
   * Any runtime configuration (the keys of `config/default.json`): `owners`,
   * `chat.prefixes`, `chat.access`, `actions.timeoutMs`, plugin options, ….
   * It is all the configuration there is: configuration files and environment
   * variables are not read, so a test runs the same everywhere. The HTTP
   * listener, data directory and WhatsApp server are the kit's; `owners` adds
   * to {@link TestBot.owner}, who is always an owner.
   */
  config?: ConfigInput
  /** How long {@link TestBot.say} and {@link TestBot.nextMessage} wait by default. Default 5000 ms. */
  replyTimeoutMs?: number
  /**
   * More sessions, besides `default`, each paired with a number of its own
   * before the bot is handed over: `sessions: ['sales', 'support']`. Contacts
   * write to one with `say(text, { to: 'sales' })`.
   */
  sessions?: string[]
  /**
   * Print the runtime's logs (yours included) to stderr from this level up.
   * Default: the `WAPLUG_TEST_LOG` environment variable (`debug`, `info`, …),
   * else nothing. Warnings and errors are kept either way and quoted when a
   * reply does not come.
   */
  log?: TestLogLevel
}

/** Where a contact's message goes: a group, or a private chat with one of the bot's sessions. */
export interface ContactSendOptions {
  /** The group to write in (its handle or jid). Default: a private chat with the bot. */
  in?: TestGroup | string
  /** The session (number) written to in a private chat. Default `default`. */
  to?: string
}

export interface ContactMediaOptions extends ContactSendOptions {
  caption?: string
  /** Default per kind: image/jpeg, application/octet-stream, audio/ogg; codecs=opus, video/mp4, image/webp. */
  mimetype?: string
  /** Documents: the name the bot sees. */
  fileName?: string
  /** Audio: a voice note. */
  ptt?: boolean
  /** Audio and video: duration in seconds. */
  seconds?: number
}

/**
 * Someone on WhatsApp, made by {@link TestBot.contact}, and what they do from
 * their phone besides typing (typing is {@link TestBot.say}). Each send
 * resolves with the message id once the bot's WhatsApp client has it; media
 * is really encrypted and uploaded to the emulated media host, so the bot
 * downloads it as it would from WhatsApp.
 */
export interface TestContact {
  readonly name: string
  /** Digits only, e.g. `15550100001`. */
  readonly phone: string
  /** `<phone>@s.whatsapp.net`, as `caller.jid` and group events name them. */
  readonly jid: string
  /** `<number>@lid`, WhatsApp's other id for the same person. */
  readonly lid: string
  sendImage(bytes: Uint8Array, options?: ContactMediaOptions): Promise<string>
  sendDocument(bytes: Uint8Array, options?: ContactMediaOptions): Promise<string>
  sendAudio(bytes: Uint8Array, options?: ContactMediaOptions): Promise<string>
  sendVideo(bytes: Uint8Array, options?: ContactMediaOptions): Promise<string>
  sendSticker(bytes: Uint8Array, options?: ContactMediaOptions): Promise<string>
  /** Reacts to a message (the bot's, or their own) in its chat; `''` removes the reaction. */
  react(messageId: string, emoji: string): Promise<string>
  sendPoll(name: string, options: string[], send?: ContactSendOptions & { selectableCount?: number }): Promise<string>
  /** Votes on a poll (the bot's or their own) for the options named. */
  vote(pollId: string, options: string[]): Promise<string>
  /** Edits their own message. */
  edit(messageId: string, text: string, options?: ContactSendOptions): Promise<string>
  /** Deletes their own message for everyone. */
  deleteForEveryone(messageId: string, options?: ContactSendOptions): Promise<string>
  sendLocation(location: { latitude: number; longitude: number; name?: string; address?: string }, options?: ContactSendOptions): Promise<string>
  /** Shares someone's contact card (a vCard with their WhatsApp number). */
  sendContactCard(card: { name: string; phone: string }, options?: ContactSendOptions): Promise<string>
  /** Opens the chat: read receipts (blue ticks) for bot messages they got; the bot sees them as status updates. */
  read(...messageIds: string[]): void
  /** Delivery receipts for bot messages they got (phones send these by themselves; tests choose when). */
  delivered(...messageIds: string[]): void
  /** Played receipts, for voice notes and videos. */
  played(...messageIds: string[]): void
  /** The ids in the bot's next read receipt for their messages (`readMessages`). */
  nextBotRead(query?: { timeoutMs?: number }): Promise<string[]>
  /** The bot's next chat state in their private chat: typing, recording a voice note, or stopped. */
  nextChatState(query?: { timeoutMs?: number }): Promise<'composing' | 'recording' | 'paused'>
}

export interface ContactOptions {
  /** Choose the number, e.g. one you list in `config.owners`. Default: the next free `155501000nn`. */
  phone?: string
  /**
   * What happens when someone adds them to a group: `accept` (default),
   * `privacy` (refused with 403, as when their settings allow only their
   * contacts) or `not-on-whatsapp` (404).
   */
  onGroupAdd?: 'accept' | 'privacy' | 'not-on-whatsapp'
}

export interface GroupOptions {
  /** Who is in it besides the bot and its creator. */
  members?: TestContact[]
  /** Members who start as admins (they are added as members if not listed there). */
  admins?: TestContact[]
  /** Its creator, a super admin. Default: the first member, or the owner when there are none. */
  createdBy?: TestContact
  /** Whether the bot starts as an admin. Default `false`, as when someone adds a bot to a group. */
  botIsAdmin?: boolean
}

/** Who does a group change; by default the group's creator. */
export interface ActAs {
  by?: TestContact
}

/**
 * A group on the emulated WhatsApp with the bot in it, made by
 * {@link TestBot.group}. Its methods are people acting in the group, the way
 * they would from their phones: each one resolves once the bot has been told
 * (its group event handlers have been called), and throws, saying why, when
 * WhatsApp would refuse (e.g. a member who is not an admin promoting someone).
 */
export interface TestGroup {
  /** `<id>@g.us` */
  readonly jid: string
  /** The subject it was created with. */
  readonly subject: string
  readonly createdBy: TestContact
  /** The group as WhatsApp holds it now: subject, description, participants and their roles, settings. */
  info(): GroupView
  /** Someone adds people (a "joined" event). */
  add(people: TestContact | TestContact[], options?: ActAs): Promise<void>
  /** Someone removes people (a "left" event). */
  remove(people: TestContact | TestContact[], options?: ActAs): Promise<void>
  /** A member leaves by themselves (a "left" event by that member). */
  leave(person: TestContact): Promise<void>
  promote(people: TestContact | TestContact[], options?: ActAs): Promise<void>
  demote(people: TestContact | TestContact[], options?: ActAs): Promise<void>
  /** Someone changes the subject and/or description (an "updated" event). */
  update(change: { subject?: string; description?: string }, options?: ActAs): Promise<void>
  /**
   * Someone asks to join (a group with join approval, the bot an admin).
   * Resolves once WhatsApp has notified the bot; the runtime has no group
   * event for requests, so plugins see it only through `whatsapp.socket`.
   */
  requestToJoin(person: TestContact): Promise<void>
}

/** Where a message is: a group, or the private chat with a contact. */
export type TestChat = TestGroup | TestContact

export interface SayOptions {
  /** Who writes. Default: {@link TestBot.owner}. */
  from?: TestContact
  /** The group to write in (its handle or jid). Default: a private chat with the bot. */
  in?: TestGroup | string
  /** How long to wait for a reply once the bot has the message. Default: the bot's `replyTimeoutMs`. */
  timeoutMs?: number
  /** The session (number) written to in a private chat. Default `default`. */
  to?: string
}

/** One of the bot's sessions: its id and its own number. */
export interface TestSession {
  readonly id: string
  /** Digits only. */
  readonly phone: string
  /** `<phone>@s.whatsapp.net` */
  readonly jid: string
}

export interface MessageQuery {
  /** Only a message in this group or private chat. Default: any chat. */
  in?: TestChat | string
  /** Default: the bot's `replyTimeoutMs`. */
  timeoutMs?: number
}

/** A message the bot sent, as its recipients read it. */
export interface TestMessage {
  id: string
  /** The group's jid, or the contact's `<phone>@s.whatsapp.net` for a private chat. */
  chat: string
  /** The number that sent it, `<phone>@s.whatsapp.net`: the session's, when the bot has several. */
  from: string
  text: string
  /** Jids it @mentions. */
  mentions: string[]
  /** The id of the message it quotes: chat replies quote the command. */
  quotedId?: string
  /** `text`, a media kind (`image`, `video`, `audio`, `document`, `sticker`), `reaction`, `poll`, `edit`, `delete`, `location`, `contact`, … */
  kind: string
  /** Media as the recipient's phone got it: downloaded from the media host, hashes and mac checked, decrypted. */
  media?: { bytes: Buffer; mimetype: string; caption?: string; fileName?: string; ptt?: boolean }
  /** Why the media could not be read (never uploaded, a hash or mac that does not match). */
  mediaError?: string
  /** A reaction to message `id`; `text` '' removes it. */
  reaction?: { id: string; text: string }
  poll?: { name: string; options: string[]; selectableCount: number }
  /** An edit of message `id` to `text`. */
  edit?: { id: string; text: string }
  /** A delete for everyone of message `id`. */
  delete?: { id: string }
  location?: { latitude: number; longitude: number; name?: string; address?: string }
  contacts?: { displayName: string; vcard: string }[]
  /** The link preview fields a text carries. */
  linkPreview?: { matchedText?: string; title?: string; description?: string }
}

export interface TestResponse<T = unknown> {
  status: number
  envelope: Envelope<T>
  headers: Headers
}

export interface RequestOptions {
  /** Extra headers; `authorization` replaces the kit's API key. */
  headers?: Record<string, string>
}

/**
 * A running bot: the real runtime with your plugins and the real WhatsApp
 * client, paired to an emulated WhatsApp server on this machine. Made by
 * {@link startTestBot}; stop it when done (passing the test context does that).
 */
export interface TestBot extends AsyncDisposable {
  /** A contact listed in `owners`: may run owner-only commands. The default sender of {@link say}. */
  readonly owner: TestContact
  /** The bot's own number (its `default` session's), as `<phone>@s.whatsapp.net`. */
  readonly jid: string
  /** A session the bot was started with (`default`, or one of `sessions`); throws for any other. */
  session(id: string): TestSession
  /** The HTTP API's base URL, e.g. `http://127.0.0.1:40123`. */
  readonly url: string
  /** An API key the HTTP API accepts. */
  readonly apiKey: string
  /** The runtime itself (config, container, whatsapp), for what the kit does not cover. */
  readonly runtime: Runtime
  /** The emulated WhatsApp server, for what the kit does not cover (faults, raw groups). */
  readonly emulator: Emulator
  /** Someone new on WhatsApp who can write to the bot; not an owner unless `config.owners` lists their `phone`. */
  contact(name: string, options?: ContactOptions): TestContact
  /** A group someone created with the bot in it. */
  group(subject: string, options?: GroupOptions): TestGroup
  /**
   * Writes `text` to the bot and returns the text of its replies (the
   * messages quoting it). Throws when none comes within the timeout, saying
   * what the bot last wrote in that chat and what the runtime logged.
   *
   *   assert.deepEqual(await bot.say('!ping'), ['pong'])
   *   await bot.say('!welcome on', { from: alice, in: group })
   */
  say(text: string, options?: SayOptions): Promise<string[]>
  /**
   * Writes `text` to the bot without waiting for a reply: for messages that
   * are not commands. Resolves with its id once the bot's WhatsApp client has received it.
   */
  send(text: string, options?: Omit<SayOptions, 'timeoutMs'>): Promise<string>
  /**
   * The next message the bot sends that no earlier call has taken (in a chat,
   * if given): for what it says on its own, e.g. a greeting when someone
   * joins. Waits for one if needed; throws when none comes in time.
   */
  nextMessage(query?: MessageQuery): Promise<TestMessage>
  /** Every message the bot has sent so far (in a chat, if given), oldest first. */
  messages(query?: Omit<MessageQuery, 'timeoutMs'>): TestMessage[]
  /**
   * Calls the HTTP API with the kit's API key and returns the status and the
   * envelope. `body`, when given, is sent as JSON.
   *
   *   const { status, envelope } = await bot.request('GET', `/groups/${group.jid}`)
   */
  request<T = unknown>(method: HttpMethod, path: string, body?: unknown, options?: RequestOptions): Promise<TestResponse<T>>
  /** Stops the runtime and the emulator and deletes the bot's files. Safe to call twice. */
  stop(): Promise<void>
}
