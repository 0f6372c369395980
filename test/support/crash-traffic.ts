// Traffic while the runtime may be killed at any moment: contacts sending
// commands in private and in groups, each waiting for the bot's receipt and
// answer before its next, and group changes beside them. Nothing here counts
// failures (the tally's observers see retry receipts and unreadable answers
// whenever they happen); a message caught by the kill is simply left to be
// delivered at the next login, as the server would.
//
// Each contact has one exchange under way at a time, across all its chats,
// and the bot's sender key reaches a group's newcomers in an exchange of its
// own. Baileys decrypts a contact's message and encrypts to that contact in
// two transactions that do not wait for each other, and the later commit
// undoes the other's ratchet step, crash or no crash; CRASH_OVERLAP=1 lets
// contacts write while the bot is writing to them (two lines in a row, for
// one), which shows that race.
import type { BotMessage, SimContact } from '../../emulator/signal/index.js'
import type { ActiveGroup, CrashWorld } from './crash-world.js'

const COMMANDS = ['!ping', '!help', '!help ping', '!ping']
/** Long enough for a message sent while the runtime is down to be taken at its next login. */
const RECEIPT_TIMEOUT_MS = 30_000
const ANSWER_TIMEOUT_MS = 5000

export class Traffic {
  private generation = 0
  private running = false
  /** Contacts kept from writing, each by the holds (exchanges under way, introductions) that keep it. */
  private readonly busy = new Map<SimContact, Set<number>>()
  private holds = 0
  /** Exchanges still waiting for a receipt or an answer, across rounds. */
  private readonly inFlight = new Set<Promise<unknown>>()
  /** Those of them started since the last start(). */
  private current = new Set<Promise<unknown>>()

  constructor(
    private readonly world: CrashWorld,
    private readonly overlap = false,
  ) {}

  /** Starts `privateWriters` loops in private chats and `groupWriters` in groups, and the group changes. */
  start(privateWriters = 6, groupWriters = 3): void {
    const generation = ++this.generation
    this.running = true
    this.current = new Set()
    const alive = (): boolean => this.running && this.generation === generation
    for (let i = 0; i < privateWriters; i++) void this.loop(alive, () => this.privately())
    for (let i = 0; i < groupWriters; i++) void this.loop(alive, () => this.inGroup())
    void this.loop(alive, () => this.changeGroups(alive))
  }

  /** No new exchanges; those under way finish on their own. */
  stop(): void {
    this.running = false
  }

  /**
   * Stops, and waits (at most `timeoutMs`) for the exchanges started since
   * start() to end: a quiet moment. Older ones (messages a kill left for the
   * next login, waiting for an answer that does not come to those) are inert.
   */
  async quiet(timeoutMs: number): Promise<void> {
    this.stop()
    let timer: NodeJS.Timeout | undefined
    const late = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)))
    await Promise.race([Promise.allSettled([...this.current]), late])
    clearTimeout(timer)
  }

  /** Lets every exchange still under way end. */
  async drain(): Promise<void> {
    while (this.inFlight.size) await Promise.allSettled([...this.inFlight])
  }

  /**
   * After a kill: no exchange under way can get an answer any more (what was
   * sent meanwhile is delivered at the next login, which does not answer
   * what it finds waiting), so none holds its contact back.
   */
  release(): void {
    this.busy.clear()
  }

  /** Whether `contact` may start an exchange now. */
  idle(contact: SimContact): boolean {
    return this.overlap || !this.busy.has(contact)
  }

  /** Keeps `contacts` from writing until the returned function is called. */
  private hold(contacts: SimContact[]): () => void {
    const hold = ++this.holds
    for (const contact of contacts) this.busy.set(contact, (this.busy.get(contact) ?? new Set()).add(hold))
    return () => {
      for (const contact of contacts) {
        const holds = this.busy.get(contact)
        holds?.delete(hold)
        if (holds?.size === 0) this.busy.delete(contact)
      }
    }
  }

  /**
   * A contact's message and, unless it was sent while the runtime was down,
   * the bot's answer to it (undefined when none could be read in time).
   * Failures are the tally's business.
   */
  exchange(contact: SimContact, text: string, group?: string): Promise<BotMessage | undefined> {
    const release = this.hold([contact])
    const done: Promise<BotMessage | undefined> = contact
      .say(text, { timeoutMs: RECEIPT_TIMEOUT_MS, ...(group ? { group } : {}) })
      .then(({ id }) => this.world.signal.repliesTo(id, { timeoutMs: ANSWER_TIMEOUT_MS }))
      .then(
        ([answer]) => answer,
        () => undefined,
      )
      .finally(() => {
        release()
        this.inFlight.delete(done)
        current.delete(done)
      })
    const current = this.current
    this.inFlight.add(done)
    current.add(done)
    return done
  }

  /**
   * Newcomers to a group get the bot's sender key with its next message
   * there: exchanges in the group, by a member who has written there before
   * (else the first newcomer), until each newcomer could read the answer,
   * while the newcomers keep silent. (The bot may not know of a newcomer yet
   * when the first answer goes out.)
   */
  async introduce(group: ActiveGroup, newcomers: SimContact[]): Promise<void> {
    const release = this.hold(newcomers)
    try {
      // Not once stopped: the checks after a restart make their own introductions, one group at a time.
      for (let attempt = 0; attempt < 5 && this.running; attempt++) {
        const known = group.members.filter((member) => !newcomers.includes(member) && this.idle(member))
        const writer = known.length ? this.world.random.pick(known) : newcomers[0]!
        const answer = await this.exchange(writer, '!ping', group.jid)
        if (!answer || newcomers.every((newcomer) => answer.readBy.includes(newcomer.jid))) return
      }
    } finally {
      release()
    }
  }

  /**
   * The bot leaves the groups nobody writes in any more (over HTTP), and those
   * a round's checks gave up on are replaced by new ones, made by contacts.
   */
  async replaceGroups(): Promise<void> {
    const { world } = this
    for (const jid of world.dropped.splice(0)) {
      await world.bot?.request('POST', `/groups/${encodeURIComponent(jid)}/leave`).catch(() => undefined)
    }
    while (world.groups.length < world.groupsWanted) {
      const members = world.contacts.filter((contact) => this.idle(contact)).slice(-3)
      if (members.length < 2) return
      await this.introduce(world.createGroup(members, 'Made by a contact'), members)
    }
  }

  /**
   * A burst of first messages: `count` contacts new to the bot write at once
   * in private; then they join a group together and are introduced there.
   */
  async burst(count: number): Promise<void> {
    const { world } = this
    const fresh = Array.from({ length: count }, () => world.newContact())
    const release = this.hold(fresh)
    try {
      for (const contact of fresh) world.activate(contact)
      await Promise.all(fresh.map((contact) => this.exchange(contact, '!ping')))
      const group = world.adminGroups().find((candidate) => world.hasRoom(candidate))
      if (!group || !this.running) return
      for (const contact of fresh) world.joinGroup(group, contact)
      await this.introduce(group, fresh)
    } finally {
      release()
    }
  }

  private async loop(alive: () => boolean, step: () => Promise<void>): Promise<void> {
    while (alive()) await step()
  }

  private async privately(): Promise<void> {
    const { world } = this
    const idle = world.contacts.filter((contact) => this.idle(contact))
    if (!idle.length) return pause(20)
    const contact = world.random.pick(idle)
    // Overlapping, a contact writes two lines in a row, as people do, without waiting for the first answer.
    const lines = this.overlap ? [world.random.pick(COMMANDS), '!ping'] : [world.random.pick(COMMANDS)]
    await Promise.all(lines.map((line) => this.exchange(contact, line)))
  }

  private async inGroup(): Promise<void> {
    const { world } = this
    const group = world.groups.length ? world.random.pick(world.groups) : undefined
    const idle = group?.members.filter((member) => this.idle(member)) ?? []
    if (!group || !idle.length) return pause(20)
    await this.exchange(world.random.pick(idle), '!ping', group.jid)
  }

  /**
   * Every few hundred ms: someone new joins a group, a subject changes, a
   * contact makes a group with the bot in it, or the bot makes one over HTTP.
   */
  private async changeGroups(alive: () => boolean): Promise<void> {
    await pause(this.world.random.int(200, 600))
    if (!alive()) return
    const { world } = this
    const choice = world.random.int(0, 9)
    const roomy = world.adminGroups().filter((group) => world.hasRoom(group))
    const idle = world.contacts.filter((contact) => this.idle(contact))
    try {
      if (roomy.length && choice < 4) {
        // Several at once: the bot's next message there hands its key to each, in one batch of writes.
        const group = world.random.pick(roomy)
        const newcomers = Array.from({ length: world.random.int(1, 3) }, () => world.newContact())
        for (const newcomer of newcomers) {
          world.joinGroup(group, newcomer)
          world.activate(newcomer)
        }
        await this.introduce(group, newcomers)
      } else if (choice < 7) {
        const groups = world.adminGroups()
        if (!groups.length) return
        const group = world.random.pick(groups)
        world.emulator.updateGroupAs(group.admin, group.jid, { subject: `Subject ${world.random.int(1, 1e6)}` })
      } else if (choice < 8 && idle.length >= 3) {
        const members = idle.slice(-3)
        await this.introduce(world.createGroup(members, 'Made by a contact'), members)
      } else if (world.bot?.open && idle.length >= 2) {
        const members = [idle[0]!, idle[idle.length - 1]!]
        // Held while the bot makes it: it may hand them its key as soon as someone writes there.
        const release = this.hold(members)
        try {
          const { status, envelope } = await world.bot.request('POST', '/groups', { name: 'Made by the bot', participants: members.map((c) => c.jid) })
          const jid = status === 200 ? (envelope as { data?: { jid?: string } }).data?.jid : undefined
          if (jid && alive()) await this.introduce(world.addGroup(jid, members), members)
        } finally {
          release()
        }
      }
    } catch {
      // The runtime went down in the middle of it: a group change is not what this test judges.
    }
  }
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
