// The crash test's world: the emulator with its Signal-encrypted contacts and
// groups in this process, the runtime as a child process on a DATA_DIR, and
// what a round needs: start it (pairing it when it asks), kill it, and check
// after a restart that everyone is still understood, both ways.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { startEmulator, type Emulator } from '../../emulator/index.js'
import { installSignal, type SignalLayer, type SimContact } from '../../emulator/signal/index.js'
import { planEnv, type CrashPlan } from './crash-plan.js'
import { CrashTally } from './crash-tally.js'
import { RuntimeProcess } from './runtime-process.js'

export const BOT_PHONE = '15550000001'
const START_TIMEOUT_MS = 25_000
/** How long a contact waits for the bot's receipt, and then its reply, when checking after a restart. */
const CHECK_TIMEOUT_MS = 12_000
/** Contacts writing at a time; older ones fall silent (their state, untouched, is not at risk). */
const ACTIVE_CONTACTS = 12
const ACTIVE_GROUPS = 2
/** Writers per group; the groups themselves keep everyone ever added, who all must read the bot. */
const GROUP_WRITERS = 3
/** Nobody more is added to a group this big (its members, the bot's sender key among them, are all read at each message). */
const GROUP_MEMBERS = 16

export interface ActiveGroup {
  jid: string
  /** Contacts in it who write there. */
  members: SimContact[]
  /** The phone of a contact who is an admin (the one who made it), who adds people and changes the subject. */
  admin?: string
}

/** A small deterministic generator, so a run's choices can be replayed with its seed. */
export class Random {
  constructor(private state: number) {}
  next(): number {
    this.state = (this.state + 0x6d2b79f5) | 0
    let t = this.state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  int(from: number, to: number): number {
    return from + Math.floor(this.next() * (to - from + 1))
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!
  }
}

export class CrashWorld {
  bot: RuntimeProcess | undefined
  /** The aimed kill's plan the current process was started with. */
  plan: CrashPlan | undefined
  contacts: SimContact[] = []
  groups: ActiveGroup[] = []
  /** Groups nobody writes in any more, for the bot to leave. */
  dropped: string[] = []
  private dataDirs = 0
  private phones = 0
  private starts = 0
  dataDir = ''

  private constructor(
    readonly emulator: Emulator,
    readonly signal: SignalLayer,
    readonly tally: CrashTally,
    private readonly root: string,
    private readonly preloads: string[],
    readonly random: Random,
  ) {}

  static async start(root: string, preloads: string[], random: Random): Promise<CrashWorld> {
    const emulator = await startEmulator()
    const signal = installSignal(emulator.host, { timeoutMs: CHECK_TIMEOUT_MS })
    return new CrashWorld(emulator, signal, new CrashTally(emulator, signal), root, preloads, random)
  }

  /** A contact new to the bot. */
  newContact(): SimContact {
    const phone = `1555031${String(++this.phones).padStart(4, '0')}`
    this.emulator.addContact({ phone, name: `Contact ${this.phones}` })
    return this.signal.contact(phone)
  }

  /** Makes `contact` one of those who write, the oldest falling silent beyond the limit. */
  activate(contact: SimContact): void {
    this.contacts.push(contact)
    if (this.contacts.length > ACTIVE_CONTACTS) this.contacts.shift()
  }

  /** A fresh DATA_DIR, for a first pairing. */
  freshDataDir(): string {
    if (this.dataDir) rmSync(this.dataDir, { recursive: true, force: true })
    this.dataDir = path.join(this.root, `data-${++this.dataDirs}`)
    mkdirSync(this.dataDir)
    return this.dataDir
  }

  /** Starts the runtime on the current DATA_DIR, with an aimed kill's plan if given. */
  spawn(plan?: CrashPlan): RuntimeProcess {
    this.plan = plan
    const bot = new RuntimeProcess({ dataDir: this.dataDir, cwd: this.root, wsUrl: this.emulator.url, preloads: this.preloads, env: plan ? planEnv(plan) : {} })
    // CRASH_LOG_DIR=<dir> keeps each process's output there, to read what happened in a failing round.
    const logDir = process.env.CRASH_LOG_DIR
    const start = ++this.starts
    if (logDir) void bot.exited.then(() => writeFileSync(path.join(logDir, `start-${String(start).padStart(3, '0')}.log`), bot.logText()))
    this.bot = bot
    return bot
  }

  /** Scans the QR the runtime shows, as the phone's owner would. */
  async scanQr(bot: RuntimeProcess): Promise<void> {
    const qr = await bot.qr()
    if (!qr) throw new Error('the runtime asks to pair but GET /session has no QR')
    await this.emulator.scanQr(qr, { phone: BOT_PHONE })
  }

  /**
   * A first start on a fresh DATA_DIR: pair by QR and wait until it is open
   * with its keys on the server (or, with a plan aimed at the pairing, gone).
   */
  async pair(plan?: CrashPlan): Promise<RuntimeProcess> {
    this.freshDataDir()
    const bot = this.spawn(plan)
    const outcome = await bot.started(START_TIMEOUT_MS)
    if (outcome !== 'pairing') throw new Error(`a first start should ask for a QR, but it ended ${outcome}:\n${tail(bot)}`)
    await this.scanQr(bot)
    if (plan) return bot
    if (!(await bot.until(() => bot.open || bot.hasExited, START_TIMEOUT_MS)) || !bot.open) throw new Error(`pairing did not open:\n${tail(bot)}`)
    await this.keysOnServer()
    return bot
  }

  /**
   * Starts the runtime again on the same DATA_DIR after a kill, as a person
   * would. A start that asks for a QR is counted, and so is one that fails
   * (tried three times). Either way the person then deletes the data folder
   * and pairs again: the next round starts from a clean session, so it
   * counts only its own damage, not what an earlier kill left.
   */
  async restart(plan?: CrashPlan): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const bot = this.spawn(attempt === 1 ? plan : undefined)
      const outcome = await bot.started(START_TIMEOUT_MS)
      if (outcome === 'open') break
      await bot.kill()
      if (outcome === 'pairing') {
        this.tally.qrNeeded++
        this.tally.note(`after the kill the runtime asked for a QR (${bot.problems().slice(-2).join(' / ') || 'no warning logged'})`)
      } else {
        this.tally.failedStarts++
        this.tally.note(`start ${attempt} after the kill ${outcome === 'exited' ? 'exited' : 'did not open'}:\n${tail(bot)}`)
        if (attempt < 3) continue
      }
      await this.pair()
      break
    }
    await this.keysOnServer()
  }

  /** Contacts can only write to the bot once its keys are on the server. */
  async keysOnServer(): Promise<void> {
    const deadline = Date.now() + START_TIMEOUT_MS
    while (!this.emulator.host.world.botPreKeys()) {
      if (Date.now() > deadline) throw new Error('the bot did not upload its keys')
      await new Promise((resolve) => setTimeout(resolve, 10))
    }
  }

  /** SIGKILL, and wait until the server has seen the connection go, so new messages wait for the next login. */
  async kill(): Promise<void> {
    await this.bot?.kill()
    const deadline = Date.now() + 5000
    while (this.emulator.connected() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5))
  }

  /** A group with the bot in it, made by one of its members on their phone. */
  createGroup(members: SimContact[], subject: string): ActiveGroup {
    const [creator] = members
    const admin = phoneOf(creator!)
    const view = this.emulator.createGroupAs(admin, subject, members.slice(1).map(phoneOf), { botIsAdmin: true })
    return this.addGroup(view.jid, members, admin)
  }

  addGroup(jid: string, members: SimContact[], admin?: string): ActiveGroup {
    const group: ActiveGroup = { jid, members: [...members], ...(admin ? { admin } : {}) }
    this.groups.push(group)
    if (this.groups.length > ACTIVE_GROUPS) this.dropped.push(this.groups.shift()!.jid)
    return group
  }

  /** `contact` joins `group`, added by its admin; the group's oldest writer falls silent beyond the size limit. */
  joinGroup(group: ActiveGroup & { admin: string }, contact: SimContact): void {
    this.emulator.participantsAs(group.admin, group.jid, [phoneOf(contact)], 'add')
    group.members.push(contact)
    if (group.members.length > GROUP_WRITERS) group.members.shift()
  }

  /** Groups made by a contact, whose admin can add people and change the subject. */
  adminGroups(): (ActiveGroup & { admin: string })[] {
    return this.groups.filter((group): group is ActiveGroup & { admin: string } => group.admin !== undefined)
  }

  /** Whether someone may still be added to `group`. */
  hasRoom(group: ActiveGroup): boolean {
    return (this.emulator.group(group.jid)?.participants.length ?? GROUP_MEMBERS) < GROUP_MEMBERS
  }

  /**
   * What a user notices after a restart: each contact's next command, in its
   * private chat and in each group it writes in, is decrypted by the bot and
   * answered, and the answer decrypted by everyone in that chat.
   */
  async check(): Promise<void> {
    const broken = new Set<SimContact>()
    const brokenGroups = new Set<ActiveGroup>()
    const ask = async (contact: SimContact, text: string, group?: ActiveGroup): Promise<void> => {
      const where = group ? `in ${group.jid}` : 'in private'
      const chat = group ? group.jid : contact.jid
      const sent = Date.now()
      let id: string
      try {
        ;({ id } = await contact.say(text, { timeoutMs: CHECK_TIMEOUT_MS, ...(group ? { group: group.jid } : {}) }))
      } catch (error) {
        const message = (error as Error).message
        // Retry receipts and nacks are counted where they are seen (the tally's observers).
        if (!/retry receipt|rejected/.test(message)) {
          this.tally.unacknowledged++
          this.tally.note(`${contact.name} ${where}: ${message}`)
        }
        broken.add(contact)
        return
      }
      try {
        const [answer] = await this.signal.repliesTo(id, { timeoutMs: CHECK_TIMEOUT_MS, chat })
        // In a group everyone must be able to read it: a member the bot believes has its sender key, but who never got it, cannot.
        const unread = group ? this.membersWhoCannotRead(group.jid, answer!.readBy) : []
        if (unread.length) {
          this.tally.unreadBy(answer!.id, `${unread.length} of the members of ${group!.jid} could not read the bot's answer (${unread.join(', ')}): they do not hold its sender key`)
          brokenGroups.add(group!)
        }
      } catch (error) {
        // An answer that came but could not be read is counted as undecryptable, by the tally.
        if (!this.tally.botSentTo(chat, sent)) {
          this.tally.unanswered++
          this.tally.note(`${contact.name} ${where} got no answer: ${(error as Error).message}`)
        }
        if (group) brokenGroups.add(group)
        else broken.add(contact)
      }
    }
    // Private first, everyone at once: the bot decrypts each contact's messages
    // in order, so what the server kept for it while it was down is taken before
    // it answers. Then one message in each group, one group after another: the
    // bot's answer hands its sender key to whoever lacks it while nobody else
    // writes. Then everyone's others, each contact one message after another.
    await Promise.all(this.contacts.map((contact) => ask(contact, '!ping')))
    const firsts = new Map<ActiveGroup, SimContact>()
    for (const group of this.groups) {
      const first = group.members[0]
      if (!first) continue
      firsts.set(group, first)
      await ask(first, '!ping', group)
    }
    const writers = new Set(this.groups.flatMap((group) => group.members))
    await Promise.all(
      [...writers].map(async (contact) => {
        for (const group of this.groups) if (group.members.includes(contact) && firsts.get(group) !== contact) await ask(contact, '!ping', group)
      }),
    )
    await this.tally.settle()
    // Whoever the bot no longer understands stays that way; they stop writing, so later rounds count only new damage.
    this.contacts = this.contacts.filter((contact) => !broken.has(contact))
    for (const group of this.groups) group.members = group.members.filter((member) => !broken.has(member))
    for (const group of this.groups) if (brokenGroups.has(group) || group.members.length < 2) this.dropped.push(group.jid)
    this.groups = this.groups.filter((group) => !brokenGroups.has(group) && group.members.length > 1)
  }

  /** How many groups are written in at a time. */
  get groupsWanted(): number {
    return ACTIVE_GROUPS
  }

  /** The contacts in a group (as the server knows it) who are not among those who read a message there. */
  private membersWhoCannotRead(jid: string, readBy: string[]): string[] {
    const members = this.emulator.group(jid)?.participants ?? []
    return members.filter((member) => this.emulator.contact(member.phone) && !readBy.includes(member.jid)).map((member) => member.phone)
  }

  async close(): Promise<void> {
    this.tally.close()
    await this.bot?.kill()
    this.signal.close()
    await this.emulator.stop()
  }
}

export function phoneOf(contact: SimContact): string {
  return contact.jid.split('@')[0]!
}

function tail(bot: RuntimeProcess, lines = 12): string {
  return bot.logText().trimEnd().split('\n').slice(-lines).map((line) => line.slice(0, 400)).join('\n')
}
