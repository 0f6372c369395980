import { WhatsAppError } from '../../core/index.js'
import type { ConnectionState, GroupClient, GroupCreateResult, GroupEvent, GroupInfo, IncomingMessage, MediaDownload, MessageStatus, NumberCheck, OutgoingMessage, ParticipantAction, ParticipantOutcome, SendOptions, SentMessage, WhatsApp } from '../../core/index.js'

export interface SentText {
  chat: string
  text: string
  quotedId?: string
  /** The message id the sender chose, if it chose one. */
  id?: string
}

/**
 * An in-memory stand-in for the WhatsApp connection, for tests of the transports
 * and the pipeline. Groups, refusals and failures are set up by the test.
 */
export class FakeWhatsApp implements WhatsApp {
  state: ConnectionState = 'open'
  me: { jid: string; lid?: string } | undefined = { jid: '15550000001@s.whatsapp.net', lid: '900000001@lid' }
  qr: string | undefined
  pairingCode: string | undefined
  readonly socket = undefined
  /** The groups the fake knows, by jid; tests change them directly. */
  readonly known = new Map<string, GroupInfo>()
  readonly groups: GroupClient
  readonly sent: SentText[] = []
  /** Per-participant codes WhatsApp answers when asked to add them (403, 404, ...). */
  readonly refusals = new Map<string, number>()
  /** Thrown by the next group call, once. */
  failNext: Error | undefined
  /** Makes group calls wait this long, for time-limit tests. */
  delayMs = 0
  /** Thrown by the next sends, one each: those tries are in `attempts`, not in `sent`. */
  readonly sendFailures: Error[] = []
  /** Every try to send, failed ones included. */
  readonly attempts: SentText[] = []
  calls: { op: string; args: unknown[] }[] = []
  private readonly messageListeners = new Set<(m: IncomingMessage) => void>()
  private readonly stateListeners = new Set<(s: ConnectionState) => void>()
  private readonly groupListeners = new Set<(e: GroupEvent) => void>()
  private readonly statusListeners = new Set<(s: MessageStatus) => void>()

  /** `firstGroup`: the id of the first group it creates; two numbers' groups never share an id. */
  constructor(me?: { jid: string; lid?: string }, firstGroup = 120363000000000001n) {
    if (me) this.me = me
    this.groups = new FakeGroups(this, firstGroup)
  }

  onState(listener: (s: ConnectionState) => void) {
    this.stateListeners.add(listener)
    return () => this.stateListeners.delete(listener)
  }

  onMessage(listener: (m: IncomingMessage) => unknown) {
    this.messageListeners.add(listener)
    return () => this.messageListeners.delete(listener)
  }

  onGroupEvent(listener: (e: GroupEvent) => void) {
    this.groupListeners.add(listener)
    return () => this.groupListeners.delete(listener)
  }

  onMessageStatus(listener: (s: MessageStatus) => void) {
    this.statusListeners.add(listener)
    return () => this.statusListeners.delete(listener)
  }

  /** As if WhatsApp reported how far a message the bot sent got. */
  emitStatus(status: MessageStatus): void {
    for (const listener of this.statusListeners) listener(status)
  }

  emitGroupEvent(event: GroupEvent): void {
    for (const listener of this.groupListeners) listener(event)
  }

  setState(state: ConnectionState): void {
    this.state = state
    for (const listener of this.stateListeners) listener(state)
  }

  emit(message: IncomingMessage): void {
    for (const listener of this.messageListeners) listener(message)
  }

  async gate(op: string, args: unknown[]): Promise<void> {
    this.calls.push({ op, args })
    if (this.delayMs) await new Promise((resolve) => setTimeout(resolve, this.delayMs))
    const failure = this.failNext
    this.failNext = undefined
    if (failure) throw failure
  }

  async sendText(chat: string, text: string, options: SendOptions = {}): Promise<SentMessage> {
    const sent = { chat, text, ...(options.quoted ? { quotedId: options.quoted.id } : {}), ...(options.id ? { id: options.id } : {}) }
    this.attempts.push(sent)
    const failure = this.sendFailures.shift()
    if (failure) throw failure
    this.sent.push(sent)
    return { id: options.id ?? `FAKE${this.attempts.length}`, chat, timestamp: Math.floor(Date.now() / 1000) }
  }

  async send(chat: string, message: OutgoingMessage, options: SendOptions = {}): Promise<SentMessage> {
    if (message.kind !== 'text') throw NOT_IN_THE_FAKE(`sending a ${message.kind}`)
    return this.sendText(chat, message.text, options)
  }

  async markRead(): Promise<void> {
    throw NOT_IN_THE_FAKE('markRead')
  }

  async sendPresence(): Promise<void> {
    throw NOT_IN_THE_FAKE('sendPresence')
  }

  async checkNumbers(): Promise<NumberCheck[]> {
    throw NOT_IN_THE_FAKE('checkNumbers')
  }

  async downloadMedia(): Promise<MediaDownload> {
    throw NOT_IN_THE_FAKE('downloadMedia')
  }

  async logout(): Promise<void> {
    // As the real connection does: the number is no longer this device's.
    this.me = undefined
    this.setState('logged-out')
    this.calls.push({ op: 'logout', args: [] })
  }

  async start(): Promise<void> {}

  async stop(): Promise<void> {
    this.setState('closed')
  }
}

const NOT_IN_THE_FAKE = (op: string) => new Error(`${op} is not simulated by FakeWhatsApp; test it on the emulator`)

/** Group calls the transport tests need: create, info, list and participant changes, with refusals and failures. */
class FakeGroups implements GroupClient {
  constructor(
    private readonly wa: FakeWhatsApp,
    private nextGroup: bigint,
  ) {}

  async create(subject: string, participants: string[]): Promise<GroupCreateResult> {
    await this.wa.gate('createGroup', [subject, participants])
    const jid = `${this.nextGroup++}@g.us`
    const failed = participants.filter((p) => this.wa.refusals.has(p)).map((p) => ({ jid: p, code: this.wa.refusals.get(p) as number }))
    const added = participants.filter((p) => !this.wa.refusals.has(p))
    const owner = this.wa.me?.jid ?? ''
    const group: GroupInfo = {
      jid,
      subject,
      description: '',
      owner,
      createdAt: 1702129024,
      size: added.length + 1,
      participants: [
        { jid: owner, isAdmin: true, isSuperAdmin: true },
        ...added.map((p) => ({ jid: p, isAdmin: false, isSuperAdmin: false })),
      ],
      settings: { onlyAdminsSend: false, onlyAdminsEdit: false, onlyAdminsAdd: true, joinApproval: false, disappearingSeconds: 0 },
      addressingMode: 'pn',
    }
    this.wa.known.set(jid, group)
    return { group, failed }
  }

  async info(jid: string): Promise<GroupInfo> {
    await this.wa.gate('groupInfo', [jid])
    const group = this.wa.known.get(jid)
    if (!group) throw new WhatsAppError('not-found', 'item-not-found', 404)
    return group
  }

  async list(): Promise<GroupInfo[]> {
    await this.wa.gate('listGroups', [])
    return [...this.wa.known.values()]
  }

  async participants(jid: string, action: ParticipantAction, people: string[]): Promise<ParticipantOutcome[]> {
    await this.wa.gate('participants', [jid, action, people])
    return people.map((p) => ({ jid: p, code: this.wa.refusals.get(p) ?? 200 }))
  }

  leave = () => Promise.reject(NOT_IN_THE_FAKE('leave'))
  setSubject = () => Promise.reject(NOT_IN_THE_FAKE('setSubject'))
  setDescription = () => Promise.reject(NOT_IN_THE_FAKE('setDescription'))
  updateSettings = () => Promise.reject(NOT_IN_THE_FAKE('updateSettings'))
  inviteCode = () => Promise.reject(NOT_IN_THE_FAKE('inviteCode'))
  revokeInvite = () => Promise.reject(NOT_IN_THE_FAKE('revokeInvite'))
  inviteInfo = () => Promise.reject(NOT_IN_THE_FAKE('inviteInfo'))
  join = () => Promise.reject(NOT_IN_THE_FAKE('join'))
  joinRequests = () => Promise.reject(NOT_IN_THE_FAKE('joinRequests'))
  answerJoinRequests = () => Promise.reject(NOT_IN_THE_FAKE('answerJoinRequests'))
  sendInvite = () => Promise.reject(NOT_IN_THE_FAKE('sendInvite'))
}
