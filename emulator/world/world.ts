// Everything the emulated server knows: the bot's account, the simulated
// contacts, the groups, and the prekeys the bot uploaded. One per emulator,
// in memory; tests read it through GroupView copies.
import { BotAccount, type UploadedPreKeys } from './bot-account.js'
import { makeContact, type Contact, type GroupAddBehaviour } from './contact.js'
import { Group } from './group.js'
import { digits, isLid, lidJid, lidUserFor, pnJid } from './jids.js'

/** Someone a jid points at: the bot, a contact, or a number nobody registered. */
export interface Person {
  lid: string
  pn: string
  contact?: Contact
  isBot: boolean
}

export class World {
  bot: BotAccount | undefined
  readonly contacts = new Map<string, Contact>()
  readonly groups = new Map<string, Group>()
  /** Prekey bundles the bot uploaded, keyed by its device jid (`phone:device@s.whatsapp.net`). */
  readonly preKeys = new Map<string, UploadedPreKeys>()
  /** Noise keys of companions that were unlinked; they can never log in again. */
  readonly unlinked = new Set<string>()
  private readonly contactListeners: ((c: Contact) => void)[] = []
  private nextGroupId = 120363000000000000n + BigInt(Math.floor(Math.random() * 1e9))

  ensureBot(phone: string): BotAccount {
    if (!this.bot || this.bot.phone !== phone) this.bot = new BotAccount(phone)
    return this.bot
  }

  /** Forgets the bot's companion, as when the phone unlinks the device. */
  unlinkCompanion(): void {
    const bot = this.bot
    if (!bot?.companion) return
    const jid = bot.deviceJid
    if (jid) this.preKeys.delete(jid)
    if (bot.companion.noiseKey.length) this.unlinked.add(bot.companion.noiseKey.toString('hex'))
    bot.companion = undefined
  }

  /** The bot's current uploaded prekeys, if it has logged in and uploaded. */
  botPreKeys(): UploadedPreKeys | undefined {
    const jid = this.bot?.deviceJid
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
    const bot = this.bot
    if (bot) {
      const bare = isLid(jid) ? lidJid(jid.split('@')[0]!.split(':')[0]!) : pnJid(digits(jid))
      if (bare === bot.lid || bare === bot.jid) return { lid: bot.lid, pn: bot.jid, isBot: true }
    }
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
