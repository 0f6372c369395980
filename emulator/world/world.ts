// Everything the emulated server knows: the bot accounts (one per phone
// number the runtime serves), the simulated contacts, the groups, and the
// prekeys each bot uploaded. One per emulator, in memory; tests read it
// through GroupView copies.
import { BotAccount, type UploadedPreKeys } from './bot-account.js'
import { makeContact, type Contact, type GroupAddBehaviour } from './contact.js'
import { Group } from './group.js'
import { digits, isLid, lidJid, lidUserFor, pnJid } from './jids.js'

/** Someone a jid points at: a bot, a contact, or a number nobody registered. */
export interface Person {
  lid: string
  pn: string
  contact?: Contact
  isBot: boolean
  /** The bot account, when the jid names one. */
  bot?: BotAccount
}

export class World {
  /** Bot accounts by phone, in the order they were created (at pairing or an adopted login); the first is "the bot" of the single-bot API. */
  readonly bots = new Map<string, BotAccount>()
  readonly contacts = new Map<string, Contact>()
  readonly groups = new Map<string, Group>()
  /** Prekey bundles the bots uploaded, keyed by the uploading companion's device jid (`phone:device@s.whatsapp.net`). */
  readonly preKeys = new Map<string, UploadedPreKeys>()
  /** Noise keys of companions that were unlinked; they can never log in again. */
  readonly unlinked = new Set<string>()
  private readonly contactListeners: ((c: Contact) => void)[] = []
  private nextGroupId = 120363000000000000n + BigInt(Math.floor(Math.random() * 1e9))

  /** The first bot account: what the single-bot API (`world.bot`, `emu.botPhone`, ...) acts on. */
  get bot(): BotAccount | undefined {
    return this.bots.values().next().value
  }

  /** The account for `phone`, created on first use (a second phone is a second bot). */
  ensureBot(phone: string): BotAccount {
    const p = digits(phone)
    let bot = this.bots.get(p)
    if (!bot) {
      bot = new BotAccount(p)
      this.bots.set(p, bot)
    }
    return bot
  }

  /** The bot account a phone, pn jid or lid jid (with or without device) names. */
  botOf(phoneOrJid: string): BotAccount | undefined {
    if (!isLid(phoneOrJid)) return this.bots.get(digits(phoneOrJid))
    const lid = lidJid(phoneOrJid.split('@')[0]!.split(':')[0]!)
    for (const b of this.bots.values()) if (b.lid === lid) return b
    return undefined
  }

  /** Forgets the first bot's companion, as when the phone unlinks the device. */
  unlinkCompanion(): void {
    if (this.bot) this.unlink(this.bot)
  }

  /** Forgets `bot`'s companion: its prekeys go, and its noise key can never log in again. */
  unlink(bot: BotAccount): void {
    if (!bot.companion) return
    const jid = bot.deviceJid
    if (jid) this.preKeys.delete(jid)
    if (bot.companion.noiseKey.length) this.unlinked.add(bot.companion.noiseKey.toString('hex'))
    bot.companion = undefined
  }

  /** The first bot's current uploaded prekeys, if it has logged in and uploaded. */
  botPreKeys(): UploadedPreKeys | undefined {
    return this.bot ? this.preKeysOf(this.bot) : undefined
  }

  /** What `bot`'s current companion uploaded, if it has. */
  preKeysOf(bot: BotAccount): UploadedPreKeys | undefined {
    const jid = bot.deviceJid
    return jid ? this.preKeys.get(jid) : undefined
  }

  addContact(phone: string, name?: string, onGroupAdd?: GroupAddBehaviour): Contact {
    const p = digits(phone)
    if (!p) throw new Error(`addContact: "${phone}" has no digits`)
    const existing = this.contacts.get(p)
    if (existing) {
      if (name !== undefined) existing.name = name
      if (onGroupAdd !== undefined) existing.onGroupAdd = onGroupAdd
      return existing
    }
    const c = makeContact(p, name, onGroupAdd)
    this.contacts.set(p, c)
    for (const l of this.contactListeners) l(c)
    return c
  }

  /** Called for each contact added from now on (the Signal layer gives them keys). */
  onContactAdded(listener: (c: Contact) => void): void {
    this.contactListeners.push(listener)
  }

  contact(phoneOrJid: string): Contact | undefined {
    if (isLid(phoneOrJid)) {
      const lid = lidJid(phoneOrJid.split('@')[0]!.split(':')[0]!)
      for (const c of this.contacts.values()) if (c.lid === lid) return c
      return undefined
    }
    return this.contacts.get(digits(phoneOrJid))
  }

  /** Resolves a pn or lid jid; unknown phone jids resolve to a person with no contact. */
  person(jid: string): Person | undefined {
    const bot = this.botOf(jid)
    if (bot) return { lid: bot.lid, pn: bot.jid, isBot: true, bot }
    const c = this.contact(jid)
    if (c) return { lid: c.lid, pn: c.jid, contact: c, isBot: false }
    if (isLid(jid)) return undefined
    const p = digits(jid)
    return p ? { lid: lidJid(lidUserFor(p)), pn: pnJid(p), isBot: false } : undefined
  }

  newGroup(subject: string, creator: Person, creation = Math.floor(Date.now() / 1000)): Group {
    const id = (this.nextGroupId++).toString()
    const g = new Group(id, subject, creator.lid, creator.pn, creation)
    this.groups.set(g.jid, g)
    return g
  }

  group(jid: string): Group | undefined {
    return this.groups.get(jid.includes('@') ? jid : `${jid}@g.us`)
  }
}
