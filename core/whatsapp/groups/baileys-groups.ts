import { generateMessageIDV2, generateWAMessageFromContent, type BinaryNode, type WASocket } from '@whiskeysockets/baileys'
import type { Logger } from '../../logger.js'
import { isLid } from '../jids.js'
import { WhatsAppError } from '../types.js'
import { UnansweredError, untilConnectionEnds } from '../unanswered.js'
import { toWhatsAppError } from '../whatsapp-errors.js'
import type { GroupCache } from './group-cache.js'
import { childOf, childrenOf, outcomeOf, parseGroupNode, parseJoinRequests } from './group-node.js'
import type { GroupPacer } from './group-pacer.js'
import { createdGroup, missingFromCreated, participantOutcomesSeen, settingsSeen } from './seen-changes.js'
import type {
  GroupClient,
  GroupCreateResult,
  GroupEvent,
  GroupInfo,
  GroupSettings,
  JoinRequest,
  JoinResult,
  ParticipantAction,
  ParticipantOutcome,
  Person,
} from './group-types.js'

const SERVER = '@g.us'
const node = (tag: string, attrs: Record<string, string> = {}, content?: BinaryNode[] | Buffer): BinaryNode => ({ tag, attrs, ...(content ? { content } : {}) })

export interface OpenConnection {
  socket: WASocket
  /** Aborted when this socket's connection ends, however it ends. */
  ended: AbortSignal
}

export interface BaileysGroupsOptions {
  /** The open socket and its end; throws `not-connected` when there is none. */
  connection: () => OpenConnection
  /** Resolves true once a connection is open (a new one, if the last ended), false if none is within the time. */
  whenOpen: (withinMs: number) => Promise<boolean>
  /** How long a change WhatsApp did not answer waits for a new connection to look whether it happened. */
  settleWithinMs: number
  me: () => Person | undefined
  cache: GroupCache
  pacer: GroupPacer
  logger: Logger
  /** Where readable group events go once the cache has taken them in. */
  emit: (event: GroupEvent) => void
}

/** Groups a create returned lately: another create that lost its answer must not take them for its own. */
const CLAIMED_FOR_MS = 10 * 60 * 1000

/**
 * The group operations over raw `w:g2` queries, so every per-participant code
 * and timeout is seen. A change whose answer never comes (a timeout, or the
 * connection ending after it went out) is looked for in the group as WhatsApp
 * holds it since, so the caller hears what happened rather than a guess.
 */
export class BaileysGroups implements GroupClient {
  private readonly claimed = new Map<string, number>()
  /** Per group, the end of the last description change: the next one reads `prev` after it. */
  private readonly descriptionTurns = new Map<string, Promise<void>>()

  constructor(private readonly options: BaileysGroupsOptions) {}

  private get cache(): GroupCache {
    return this.options.cache
  }

  private async query(to: string, type: 'get' | 'set', content: BinaryNode[]): Promise<BinaryNode> {
    const { socket, ended } = this.options.connection()
    return this.options.pacer.run(async () => {
      // It waited for its turn while the connection ended: it never went out.
      if (ended.aborted) throw new WhatsAppError('not-connected', 'WhatsApp is not connected')
      let reply: BinaryNode | undefined
      try {
        reply = (await untilConnectionEnds(socket.query({ tag: 'iq', attrs: { type, xmlns: 'w:g2', to }, content }), ended)) as BinaryNode | undefined
      } catch (error) {
        throw unanswered(error, socket)
      }
      // Baileys resolves a query that timed out with undefined instead of rejecting.
      if (!reply) throw new UnansweredError('timeout')
      return reply
    }, ended)
  }

  /**
   * Sends a change; when no answer comes, looks whether it happened (`seen`,
   * after a new connection if this one ended). When nothing shows it, the
   * change is `unconfirmed`: it may or may not have happened.
   */
  private async change<T>(what: string, send: () => Promise<T>, seen?: () => Promise<{ value: T } | undefined>): Promise<T> {
    try {
      return await send()
    } catch (error) {
      if (!(error instanceof UnansweredError)) throw error
      const found = seen ? await this.lookAgain(what, error, seen) : undefined
      if (found) return found.value
      throw new WhatsAppError('unconfirmed', `WhatsApp did not confirm ${what}: ${error.message}; it may have happened`, undefined, { cause: error })
    }
  }

  private async lookAgain<T>(what: string, why: UnansweredError, seen: () => Promise<{ value: T } | undefined>): Promise<{ value: T } | undefined> {
    const log = this.options.logger.child({ change: what })
    log.warn({ why: why.message }, 'WhatsApp did not answer a change; looking whether it happened')
    try {
      if (!(await this.options.whenOpen(this.options.settleWithinMs))) {
        log.warn('no connection to look with')
        return undefined
      }
      const found = await seen()
      log.info({ happened: found !== undefined }, found ? 'the change shows: it happened' : 'the change does not show')
      return found
    } catch (error) {
      log.warn({ err: error }, 'could not look whether the change happened')
      return undefined
    }
  }

  private async fetchGroup(to: string, type: 'get' | 'set', content: BinaryNode[]): Promise<GroupCreateResult> {
    const parsed = parseGroupNode(await this.query(to, type, content))
    if (!parsed) throw new WhatsAppError('failed', 'WhatsApp answered without a group')
    return parsed
  }

  async list(options: { refresh?: boolean } = {}): Promise<GroupInfo[]> {
    const cached = options.refresh ? undefined : this.cache.all()
    if (cached) return cached
    const reply = await this.query(SERVER, 'get', [node('participating', {}, [node('participants'), node('description')])])
    const groups = childrenOf(childOf(reply, 'groups'), 'group').flatMap((group) => parseGroupNode(group)?.group ?? [])
    this.cache.replaceAll(groups)
    return groups
  }

  async info(jid: string, options: { refresh?: boolean } = {}): Promise<GroupInfo> {
    const cached = options.refresh ? undefined : this.cache.get(jid)
    if (cached) return cached
    const { group } = await this.fetchGroup(jid, 'get', [node('query', { request: 'interactive' })])
    this.cache.set(group)
    return group
  }

  async create(subject: string, participants: string[]): Promise<GroupCreateResult> {
    // A create is not idempotent: a lost answer is found again by what it made, among groups that are nobody else's.
    // The groups known before it are told by when the cache learned them, not copied: a bot in thousands of groups creates often.
    const known = this.cache.mark()
    const sentAt = Math.floor(Date.now() / 1000)
    const taken = (jid: string) => this.cache.knownBy(jid, known) || this.claimed.has(jid)
    const result = await this.change(
      `the creation of the group "${subject}"`,
      () => this.fetchGroup(SERVER, 'set', [node('create', { subject, key: generateMessageIDV2() }, participants.map((jid) => node('participant', { jid })))]),
      async () => {
        const me = this.options.me()
        if (!me) return undefined
        const sought = { subject, me, sentAt, taken }
        const group = createdGroup(this.cache.values(), sought) ?? createdGroup(await this.list({ refresh: true }), sought)
        if (!group) return undefined
        // Claimed as soon as it is found: another create of the same name looking at once must find another.
        this.claim(group.jid)
        return { value: { group, failed: missingFromCreated(group, participants) } }
      },
    )
    this.claim(result.group.jid)
    this.cache.set(result.group)
    return result
  }

  private claim(jid: string): void {
    const now = Date.now()
    // Oldest first (a claim again moves to the end), so the expired ones are at the front: the sweep stops at the first that is not.
    for (const [old, at] of this.claimed) {
      if (now - at <= CLAIMED_FOR_MS) break
      this.claimed.delete(old)
    }
    this.claimed.delete(jid)
    this.claimed.set(jid, now)
  }

  async participants(jid: string, action: ParticipantAction, people: string[]): Promise<ParticipantOutcome[]> {
    const before = this.cache.get(jid)
    // LID groups know their members by lid; a member named by phone number is sent as their lid.
    const ids = people.map((id) => (action === 'add' ? id : (this.cache.member(jid, id)?.lid ?? id)))
    return this.change(
      `the ${action} of ${people.length === 1 ? '1 participant' : `${people.length} participants`} in ${jid}`,
      async () => {
        const reply = await this.query(jid, 'set', [node(action, {}, ids.map((id) => node('participant', { jid: id })))])
        const outcomes = childrenOf(childOf(reply, action), 'participant').map((p) => this.readableOutcome(jid, outcomeOf(p), people, ids))
        this.cache.applyOutcomes(jid, action, outcomes)
        return outcomes
      },
      async () => ({ value: participantOutcomesSeen(action, people, before, await this.info(jid, { refresh: true })) }),
    )
  }

  /** A refusal echoes the id we sent; the caller knows that person by the id they gave. */
  private readableOutcome(group: string, outcome: ParticipantOutcome, asked: string[], sent: string[]): ParticipantOutcome {
    if (!isLid(outcome.jid) || outcome.lid) return outcome
    const index = sent.indexOf(outcome.jid)
    const given = index >= 0 ? asked[index] : undefined
    if (given && !isLid(given)) return { ...outcome, jid: given, lid: outcome.jid }
    const member = this.cache.readable(group, { jid: outcome.jid })
    return { ...outcome, ...member }
  }

  async leave(jid: string): Promise<void> {
    await this.change(
      `leaving ${jid}`,
      async () => {
        const reply = await this.query(SERVER, 'set', [node('leave', {}, [node('group', { id: jid })])])
        const error = Number(childOf(childOf(reply, 'leave'), 'group')?.attrs.error ?? 0)
        if (error === 404) throw new WhatsAppError('not-found', 'item-not-found', 404)
        if (error) throw new WhatsAppError('not-member', 'forbidden', error)
      },
      async () => ((await this.list({ refresh: true })).some((g) => g.jid === jid) ? undefined : { value: undefined }),
    )
    this.cache.delete(jid)
  }

  async setSubject(jid: string, subject: string): Promise<void> {
    await this.change(
      `the new name of ${jid}`,
      () => this.query(jid, 'set', [node('subject', {}, Buffer.from(subject, 'utf8'))]),
      async () => ((await this.info(jid, { refresh: true })).subject === subject ? { value: undefined } : undefined),
    )
    this.cache.patch(jid, { subject })
  }

  /**
   * WhatsApp wants the id of the description being replaced (`prev`) and
   * answers 409 when it is not the current one. Changes of one group's
   * description therefore go one at a time, each reading `prev` when its turn
   * comes; and when another admin changed it meanwhile (409), the group is
   * read again and the change sent once more with the fresh id.
   */
  async setDescription(jid: string, description: string): Promise<void> {
    await this.inDescriptionTurn(jid, async () => {
      try {
        await this.sendDescription(jid, description, false)
      } catch (error) {
        if (!(error instanceof WhatsAppError && error.code === 409)) throw error
        this.options.logger.info({ group: jid }, 'the group description changed meanwhile; sending again with its new id')
        await this.sendDescription(jid, description, true)
      }
    })
  }

  private async inDescriptionTurn(jid: string, change: () => Promise<void>): Promise<void> {
    const before = this.descriptionTurns.get(jid) ?? Promise.resolve()
    const mine = before.then(change, change)
    const settled = mine.catch(() => undefined)
    this.descriptionTurns.set(jid, settled)
    try {
      await mine
    } finally {
      if (this.descriptionTurns.get(jid) === settled) this.descriptionTurns.delete(jid)
    }
  }

  private async sendDescription(jid: string, description: string, refresh: boolean): Promise<void> {
    let current = await this.info(jid, { refresh })
    // A notification may have changed the description without telling its id.
    if (current.description && !current.descriptionId) current = await this.info(jid, { refresh: true })
    const id = description ? generateMessageIDV2() : undefined
    const attrs: Record<string, string> = { ...(id ? { id } : { delete: 'true' }), ...(current.descriptionId ? { prev: current.descriptionId } : {}) }
    const refreshed = await this.change(
      `the new description of ${jid}`,
      async () => {
        await this.query(jid, 'set', [node('description', attrs, description ? [node('body', {}, Buffer.from(description, 'utf8'))] : undefined)])
        return false
      },
      // The refreshed group is in the cache already, with the description's id.
      async () => ((await this.info(jid, { refresh: true })).description === description ? { value: true } : undefined),
    )
    if (!refreshed) this.cache.patch(jid, { description, descriptionId: id })
  }

  async updateSettings(jid: string, settings: Partial<GroupSettings>): Promise<GroupSettings> {
    const calls: [keyof GroupSettings, BinaryNode][] = []
    const want = <K extends keyof GroupSettings>(key: K, make: (value: GroupSettings[K]) => BinaryNode) => {
      const value = settings[key]
      if (value !== undefined) calls.push([key, make(value)])
    }
    want('onlyAdminsSend', (on) => node(on ? 'announcement' : 'not_announcement'))
    want('onlyAdminsEdit', (on) => node(on ? 'locked' : 'unlocked'))
    want('onlyAdminsAdd', (on) => node('member_add_mode', {}, Buffer.from(on ? 'admin_add' : 'all_member_add')))
    want('joinApproval', (on) => node('membership_approval_mode', {}, [node('group_join', { state: on ? 'on' : 'off' })]))
    want('disappearingSeconds', (seconds) => (seconds ? node('ephemeral', { expiration: String(seconds) }) : node('not_ephemeral')))
    // One call per setting, in order: a refusal stops there, and what changed before it is in the cache.
    return this.change(
      `the new settings of ${jid}`,
      async () => {
        for (const [key, change] of calls) {
          await this.query(jid, 'set', [change])
          this.cache.patch(jid, { settings: { [key]: settings[key] } })
        }
        return (await this.info(jid)).settings
      },
      async () => {
        const group = await this.info(jid, { refresh: true })
        return settingsSeen(group, settings) ? { value: group.settings } : undefined
      },
    )
  }

  async inviteCode(jid: string): Promise<string> {
    return this.readInvite(await this.query(jid, 'get', [node('invite')]))
  }

  async revokeInvite(jid: string): Promise<string> {
    return this.change(`the new invite link of ${jid}`, async () => this.readInvite(await this.query(jid, 'set', [node('invite')])))
  }

  private readInvite(reply: BinaryNode): string {
    const code = childOf(reply, 'invite')?.attrs.code
    if (!code) throw new WhatsAppError('failed', 'WhatsApp answered without an invite code')
    return code
  }

  async inviteInfo(code: string): Promise<GroupInfo> {
    return (await this.fetchGroup(SERVER, 'get', [node('invite', { code })])).group
  }

  async join(code: string): Promise<JoinResult> {
    const reply = await this.change('joining by the invite', () => this.query(SERVER, 'set', [node('invite', { code })]))
    const pending = childOf(reply, 'membership_approval_request')?.attrs.jid
    if (pending) return { jid: pending, pending: true }
    const jid = childOf(reply, 'group')?.attrs.jid
    if (!jid) throw new WhatsAppError('failed', 'WhatsApp answered a join without the group')
    return { jid, pending: false }
  }

  async joinRequests(jid: string): Promise<JoinRequest[]> {
    return parseJoinRequests(await this.query(jid, 'get', [node('membership_approval_requests')]))
  }

  async answerJoinRequests(jid: string, action: 'approve' | 'reject', people: string[]): Promise<ParticipantOutcome[]> {
    // Requests are known by lid; the caller may name people by phone number.
    const requests = await this.joinRequests(jid)
    const ids = people.map((id) => requests.find((r) => r.jid === id || r.lid === id)?.lid ?? id)
    const reply = await this.change(`the ${action === 'approve' ? 'approval' : 'rejection'} of requests to join ${jid}`, () =>
      this.query(jid, 'set', [node('membership_requests_action', {}, [node(action, {}, ids.map((id) => node('participant', { jid: id })))])]),
    )
    const outcomes = childrenOf(childOf(childOf(reply, 'membership_requests_action'), action), 'participant').map((p) =>
      this.readableOutcome(jid, outcomeOf(p), people, ids),
    )
    if (action === 'approve') this.cache.applyOutcomes(jid, 'add', outcomes)
    return outcomes
  }

  async sendInvite(jid: string, to: string, invite: { code: string; expiration: number }): Promise<void> {
    const sock = this.options.connection().socket
    const subject = this.cache.get(jid)?.subject ?? ''
    // Built by hand: Baileys' `groupInvite` content first fetches the group's picture, a call we do not need.
    const message = generateWAMessageFromContent(
      to,
      { groupInviteMessage: { groupJid: jid, inviteCode: invite.code, inviteExpiration: invite.expiration, groupName: subject, caption: `Join my WhatsApp group "${subject}"` } },
      { userJid: this.options.me()?.jid ?? '' },
    )
    try {
      await sock.relayMessage(to, message.message ?? {}, { messageId: message.key.id ?? generateMessageIDV2() })
    } catch (error) {
      throw toWhatsAppError(error)
    }
  }

  /** A group we were just put in: one call to know it, so lists and sends need none. */
  async learn(jid: string): Promise<void> {
    // Our own creates are cached already, and so is any group whose <create> notification came (createdNotice).
    if (this.cache.get(jid)) return
    await this.info(jid, { refresh: true }).catch((error: unknown) => this.options.logger.warn({ err: error, group: jid }, 'could not read a group the bot was added to'))
  }

  /**
   * A group's <create> notification, as it arrives: it holds the whole group,
   * so nobody asks WhatsApp for it. It comes before WhatsApp's answer to our
   * own create, and it is what finds a create whose answer is lost.
   */
  createdNotice(notification: BinaryNode): void {
    const parsed = parseGroupNode(childOf(notification, 'create') ?? notification)
    if (parsed && !this.cache.get(parsed.group.jid)) this.cache.set(parsed.group)
  }

  /** A notification: make its people readable, keep the cache true, then tell the listeners. */
  async take(event: GroupEvent): Promise<void> {
    const by = event.by ? { by: this.cache.readable(event.group, event.by) } : {}
    const readable: GroupEvent =
      event.type === 'participants'
        ? { ...event, participants: event.participants.map((p) => this.cache.readable(event.group, p)), ...by }
        : { ...event, ...by }
    const me = this.options.me()
    const aboutMe =
      readable.type === 'participants' && me !== undefined && readable.participants.some((p) => p.jid === me.jid || (me.lid !== undefined && p.lid === me.lid))
    if (aboutMe && readable.change === 'left') this.cache.delete(readable.group)
    else this.cache.apply(readable)
    if (aboutMe && readable.change === 'joined') await this.learn(readable.group)
    this.options.emit(readable)
  }
}

/**
 * A query that got no answer: it timed out, or its connection ended (Baileys
 * rejects a waiting query with the WebSocket's close code when the socket
 * drops, which says nothing about WhatsApp's answer).
 */
function unanswered(error: unknown, socket: WASocket): WhatsAppError {
  if (error instanceof UnansweredError) return error
  const known = toWhatsAppError(error)
  if (known.kind === 'timeout') return new UnansweredError('timeout', { cause: error })
  if (known.kind === 'not-connected' || (known.kind === 'failed' && !socket.ws.isOpen)) return new UnansweredError('not-connected', { cause: error })
  return known
}
