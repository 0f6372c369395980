// What the crash test counts, as the people on the other side would notice
// it: sessions that needed a QR, starts that failed, messages the bot could
// not decrypt (it answers them with a retry receipt or a nack), the bot's
// messages that contacts could not decrypt, and commands left unanswered.
// Everything is observed at the emulator, whatever the runtime stores.
import type { Emulator } from '../../emulator/index.js'
import type { SignalLayer } from '../../emulator/signal/index.js'

/** A bot message the contacts could not read within this long is counted as undecryptable. */
const READ_WITHIN_MS = 8000
/** How long the last round's refused messages may take to come again from the phone and be read. */
const RESEND_WITHIN_MS = 15_000

interface BotStanza {
  id: string
  /** The group jid, or the contact's phone-number jid. */
  chat: string
  at: number
}

export class CrashTally {
  rounds = 0
  aimedKills = 0
  /** Aimed kills that landed on a write, rather than on the fallback timer. */
  aimedOnWrite = 0
  qrNeeded = 0
  failedStarts = 0
  /**
   * Contacts' messages the bot could not decrypt in the end: answered with a
   * retry receipt or a nack, and never acknowledged after the contact sent
   * them again. WhatsApp delivers again what the bot had not acknowledged when
   * it was killed; a copy its session is already past is refused, and the
   * phone's resend is read: nobody notices that.
   */
  get undecryptableByBot(): number {
    return [...this.refused].filter((id) => !this.taken.has(id)).length
  }
  /** Refused at first, then read after the contact sent them again. */
  get recoveredByResend(): number {
    return [...this.refused].filter((id) => this.taken.has(id)).length
  }
  /** The bot's messages to contacts that a recipient could not decrypt. */
  undecryptableByContacts = 0
  /** Of those, copies for the bot's own phone (device 0) it could not decrypt. */
  undecryptableByOwnPhone = 0
  /** Commands after a restart that were delivered but got no readable answer in time. */
  unanswered = 0
  /** Commands after a restart that the bot never acknowledged, though it was online. */
  unacknowledged = 0
  retryReceipts = 0
  nacks = 0
  /**
   * Contacts' messages the bot refused (retry receipt or nack) after WhatsApp
   * delivered them again (a kill or a drop lost the bot's receipt). A copy of
   * what the bot had decrypted is read from the text stored with the session;
   * these are messages the bot had not read before, refused for another reason.
   */
  get refusedCopies(): number {
    return this.copiesRefused.size
  }
  /** Rounds after which something above went wrong. */
  roundsWithFailures = 0
  readonly notes: string[] = []

  private readonly refused = new Set<string>()
  private readonly copiesRefused = new Set<string>()
  /** Contacts' messages the bot acknowledged with a delivery receipt. */
  private readonly taken = new Set<string>()
  private readonly pending = new Map<string, BotStanza>()
  /** When the bot last sent something to each chat. */
  private readonly lastSent = new Map<string, number>()
  private readonly failedIds = new Set<string>()
  private readonly seenFailures = new Set<string>()
  private repliesRead = 0
  private readonly read = new Set<string>()
  private readonly timer: NodeJS.Timeout

  constructor(
    private readonly emulator: Emulator,
    private readonly signal: SignalLayer,
  ) {
    const { router, world } = emulator.host
    // Registered after the Signal layer, so these run first; they only look (return false).
    router.on('receipt', (stanza) => {
      if (stanza.attrs.type === 'retry') {
        this.retryReceipts++
        this.refuse(stanza.attrs.id ?? '')
      } else if (stanza.attrs.id) this.taken.add(stanza.attrs.id)
      return false
    })
    router.on('ack', (stanza) => {
      if (stanza.attrs.class === 'message' && stanza.attrs.error) {
        this.nacks++
        this.refuse(stanza.attrs.id ?? '')
      }
      return false
    })
    router.on('message', (stanza) => {
      const { id, to } = stanza.attrs
      if (!id || !to) return false
      const group = to.endsWith('@g.us')
      const person = group ? undefined : world.person(to)
      // Messages to contacts and groups; not the bot's own peer messages to its devices.
      if (!group && (!person || person.isBot)) return false
      const chat = group ? to : person!.pn
      // A message sent again under the same id (the runtime does when it cannot tell whether a try got through) is one message: read once, it is read.
      if (!this.read.has(id)) this.pending.set(id, { id, chat, at: Date.now() })
      this.lastSent.set(chat, Date.now())
      return false
    })
    // The Signal layer keeps its last reading failures; look often enough to see each one.
    this.timer = setInterval(() => this.sweep(), 50)
    this.timer.unref()
  }

  private refuse(id: string): void {
    this.refused.add(id)
    if (this.signal.deliveredAgain(id)) this.copiesRefused.add(id)
  }

  /** Settles what can be settled: bot messages read, or failed, or unread for too long. */
  sweep(): void {
    const now = Date.now()
    const bot = this.emulator.host.world.bot
    const ownPhone = bot ? new RegExp(` to (${bot.phone}|${bot.lid.split('@')[0]})[:@]`) : undefined
    for (const failure of this.signal.failures) {
      if (this.seenFailures.has(failure)) continue
      this.seenFailures.add(failure)
      const id = /^message (\S+):/.exec(failure)?.[1]
      if (!id || this.failedIds.has(id)) continue
      this.failedIds.add(id)
      this.pending.delete(id)
      this.undecryptableByContacts++
      if (ownPhone?.test(failure)) this.undecryptableByOwnPhone++
      this.note(`a contact could not decrypt the bot's message: ${failure}`)
    }
    const replies = this.signal.replies
    for (; this.repliesRead < replies.length; this.repliesRead++) {
      const { id } = replies[this.repliesRead]!
      this.read.add(id)
      this.pending.delete(id)
    }
    for (const stanza of this.pending.values()) {
      if (now - stanza.at < READ_WITHIN_MS) continue
      this.pending.delete(stanza.id)
      this.undecryptableByContacts++
      this.note(`nobody could read the bot's message ${stanza.id} in ${stanza.chat}`)
    }
  }

  /** The bot's message `id` was read, but not by everyone it was for. */
  unreadBy(id: string, why: string): void {
    if (this.failedIds.has(id)) return
    this.failedIds.add(id)
    this.undecryptableByContacts++
    this.note(why)
  }

  /** Whether the bot has sent anything to `chat` (a group jid or a contact's phone-number jid) since `since`. */
  botSentTo(chat: string, since: number): boolean {
    return (this.lastSent.get(chat) ?? 0) >= since
  }

  /**
   * Waits until every bot message seen so far is read or counted (at most
   * READ_WITHIN_MS), and until the phone's resend of each message the bot
   * refused is taken (at most RESEND_WITHIN_MS): a copy refused in the last
   * round is sent again by the phone after that round's check, as in any other.
   */
  async settle(): Promise<void> {
    this.sweep()
    const resendBy = Date.now() + RESEND_WITHIN_MS
    while (this.pending.size > 0 || (this.undecryptableByBot > 0 && Date.now() < resendBy)) {
      await new Promise((resolve) => setTimeout(resolve, 50))
      this.sweep()
    }
  }

  /** The counts a round can change, by short name. */
  counts(): Record<string, number> {
    return {
      qr: this.qrNeeded,
      'failed starts': this.failedStarts,
      'undecryptable by the bot': this.undecryptableByBot,
      'undecryptable by contacts': this.undecryptableByContacts,
      unanswered: this.unanswered,
      unacknowledged: this.unacknowledged,
      retries: this.retryReceipts,
      'refused when delivered again': this.refusedCopies,
    }
  }

  /** What changed since `before` (from {@link counts}), e.g. "qr +1, retries +2", or "ok". */
  changes(before: Record<string, number>): string {
    const now = this.counts()
    const changed = Object.keys(now).filter((key) => now[key] !== before[key])
    return changed.length ? changed.map((key) => `${key} +${now[key]! - before[key]!}`).join(', ') : 'ok'
  }

  /** The sum of everything a user would have noticed. */
  failures(): number {
    return this.qrNeeded + this.failedStarts + this.undecryptableByBot + this.undecryptableByContacts + this.unanswered + this.unacknowledged
  }

  note(line: string): void {
    this.notes.push(line)
  }

  summary(): string {
    return (
      `crash-restart: ${this.rounds} rounds (${this.aimedKills} aimed kills, ${this.aimedOnWrite} of them during a write under DATA_DIR); ` +
      `sessions needing a QR: ${this.qrNeeded}; failed starts: ${this.failedStarts}; ` +
      `undecryptable contact→bot: ${this.undecryptableByBot}; undecryptable bot→contacts: ${this.undecryptableByContacts}` +
      `${this.undecryptableByOwnPhone ? ` (${this.undecryptableByOwnPhone} by the bot's own phone)` : ''}; ` +
      `unanswered commands: ${this.unanswered}; unacknowledged: ${this.unacknowledged}; ` +
      `retry receipts seen: ${this.retryReceipts}; nacks: ${this.nacks}; delivered again and refused: ${this.refusedCopies}; ` +
      `read after the contact sent them again: ${this.recoveredByResend}; ` +
      `rounds with failures: ${this.roundsWithFailures}`
    )
  }

  close(): void {
    clearInterval(this.timer)
  }
}
