import type { GroupMetadata } from '@whiskeysockets/baileys'
import type { GroupEvent, GroupInfo, GroupParticipant, GroupSettings, ParticipantAction, ParticipantOutcome, Person } from './group-types.js'
import { groupParticipant } from './group-node.js'

const sameAs = (id: string) => (p: Person) => p.jid === id || p.lid === id

/**
 * The one copy of group metadata the runtime keeps: filled by one
 * "participating" call, then kept fresh by WhatsApp's group notifications and
 * by our own writes, so reads (listing, access checks, Baileys' sends to
 * groups) never ask WhatsApp again. Changed groups are copied with
 * Object.assign: in Node 20's V8 a `{ ...group, more }` copy gets a hidden
 * class of its own, and cached groups live long.
 */
export class GroupCache {
  private readonly groups = new Map<string, GroupInfo>()
  /** Whether every group the bot is in is here, so a list needs no call. */
  private complete = false
  /** Counts the groups learned; `learned` holds the count at which each was, kept across a reconnect's forget. */
  private learnedCount = 0
  private learned = new Map<string, number>()

  get(jid: string): GroupInfo | undefined {
    return this.groups.get(jid)
  }

  all(): GroupInfo[] | undefined {
    return this.complete ? [...this.groups.values()] : undefined
  }

  /** Every group cached, whether or not that is all of them. */
  values(): GroupInfo[] {
    return [...this.groups.values()]
  }

  set(group: GroupInfo): void {
    this.groups.set(group.jid, group)
    if (!this.learned.has(group.jid)) this.learned.set(group.jid, ++this.learnedCount)
  }

  replaceAll(groups: GroupInfo[]): void {
    this.groups.clear()
    // Groups known before keep when they were learned; those no longer listed are forgotten for good.
    const before = this.learned
    this.learned = new Map()
    for (const group of groups) {
      this.groups.set(group.jid, group)
      this.learned.set(group.jid, before.get(group.jid) ?? ++this.learnedCount)
    }
    this.complete = true
  }

  delete(jid: string): void {
    this.groups.delete(jid)
    this.learned.delete(jid)
  }

  /** After a reconnect notifications may have been missed; the next read asks WhatsApp. */
  forget(): void {
    this.groups.clear()
    this.complete = false
  }

  /** A mark of what is known now, for {@link knownBy}. */
  mark(): number {
    return this.learnedCount
  }

  /** Whether the group was known when `mark` was taken (and not left since). */
  knownBy(jid: string, mark: number): boolean {
    const at = this.learned.get(jid)
    return at !== undefined && at <= mark
  }

  member(group: string, id: string): GroupParticipant | undefined {
    return this.groups.get(group)?.participants.find(sameAs(id))
  }

  /** A person known only by lid gets the phone jid the group's member list has for them. */
  readable(group: string, person: Person): Person {
    if (person.lid) return person
    const known = this.member(group, person.jid)
    return known?.lid ? { jid: known.jid, lid: known.lid } : person
  }

  patch(jid: string, change: Partial<Omit<GroupInfo, 'settings'>> & { settings?: Partial<GroupSettings> }): void {
    const group = this.groups.get(jid)
    if (group) this.groups.set(jid, Object.assign({}, group, change, { settings: Object.assign({}, group.settings, change.settings) }))
  }

  /** Applies a notification; false when the group is not cached, so the caller may fetch it. */
  apply(event: GroupEvent): boolean {
    const group = this.groups.get(event.group)
    if (!group) return false
    if (event.type === 'updated') {
      const { subject, description, settings } = event
      this.patch(event.group, {
        ...(subject !== undefined ? { subject } : {}),
        // The new description's id is not in the event; the next change re-reads it.
        ...(description !== undefined ? { description, descriptionId: undefined } : {}),
        ...(settings ? { settings } : {}),
      })
      return true
    }
    const action: ParticipantAction = { joined: 'add', left: 'remove', promoted: 'promote', demoted: 'demote' }[event.change] as ParticipantAction
    this.applyOutcomes(event.group, action, event.participants.map((p) => ({ ...p, code: 200 })))
    return true
  }

  /** Our own successful participant changes; repeating one (its notification follows) changes nothing. */
  applyOutcomes(jid: string, action: ParticipantAction, outcomes: ParticipantOutcome[]): void {
    const group = this.groups.get(jid)
    if (!group) return
    let participants = group.participants
    for (const outcome of outcomes) {
      if (outcome.code !== 200) continue
      const person: Person = outcome.lid ? { jid: outcome.jid, lid: outcome.lid } : { jid: outcome.jid }
      const known = participants.find(sameAs(person.jid)) ?? (person.lid ? participants.find(sameAs(person.lid)) : undefined)
      if (action === 'add' && !known) participants = [...participants, groupParticipant(person, false, false)]
      if (action === 'remove' && known) participants = participants.filter((p) => p !== known)
      if ((action === 'promote' || action === 'demote') && known) {
        participants = participants.map((p) => (p === known ? groupParticipant(p, action === 'promote', action === 'promote' && p.isSuperAdmin) : p))
      }
    }
    this.groups.set(jid, Object.assign({}, group, { participants, size: participants.length }))
  }

  /** The shape Baileys asks for when it sends to a group (`cachedGroupMetadata`). */
  toBaileys(jid: string): GroupMetadata | undefined {
    const group = this.groups.get(jid)
    if (!group) return undefined
    const lidMode = group.addressingMode === 'lid'
    return {
      id: group.jid,
      subject: group.subject,
      owner: group.owner,
      addressingMode: lidMode ? ('lid' as GroupMetadata['addressingMode']) : ('pn' as GroupMetadata['addressingMode']),
      ephemeralDuration: group.settings.disappearingSeconds || undefined,
      // Asked for on every send to the group: each member is built and added to, not spread together (V8's slow path).
      participants: group.participants.map((p) => {
        const member: GroupMetadata['participants'][number] = { id: lidMode && p.lid ? p.lid : p.jid, admin: p.isSuperAdmin ? 'superadmin' : p.isAdmin ? 'admin' : null }
        if (p.lid) member.lid = p.lid
        if (p.jid.endsWith('@s.whatsapp.net')) member.phoneNumber = p.jid
        return member
      }),
    }
  }
}
