// Answers `<iq xmlns="usync">`: for each user asked about, the protocols the
// query names — `devices` (device list; non-zero devices carry key-index),
// `lid` (the user's LID, for users asked by phone number) and `contact`
// (whether the number is on WhatsApp). Every bot account is on WhatsApp;
// another bot's companion is listed so a bot can write to it.
import { getBinaryNodeChild } from '@whiskeysockets/baileys'
import type { BinaryNode } from '@whiskeysockets/baileys'
import { childrenOf, contentBytes } from './node-bytes.js'
import { botDeviceOf } from './bot-device.js'
import { contactSignal } from './contact-state.js'
import type { BotLike, PersonLike, WorldLike } from './signal-host.js'

const PN_SERVER = 's.whatsapp.net'

interface Asked {
  /** The jid the answer is filed under: as asked, or the phone's jid for a phone lookup. */
  jid: string
  person: PersonLike | undefined
}

function asked(world: WorldLike, user: BinaryNode): Asked | undefined {
  if (user.attrs.jid) return { jid: user.attrs.jid, person: world.person(user.attrs.jid) }
  const phone = contentBytes(getBinaryNodeChild(user, 'contact'))?.toString('utf-8').replace(/\D/g, '')
  if (!phone) return undefined
  const jid = `${phone}@${PN_SERVER}`
  return { jid, person: world.person(jid) }
}

function deviceNode(id: number, keyIndex: number): BinaryNode {
  // The client drops a companion device listed without its key index.
  return { tag: 'device', attrs: id === 0 ? { id: '0' } : { id: String(id), 'key-index': String(keyIndex) } }
}

/**
 * A contact's phone and linked devices. A bot account shows its phone, and
 * its companion to other bots only: to itself the phone alone, as before
 * there were several (the client skips its own device anyway).
 */
function devicesNode(world: WorldLike, person: PersonLike | undefined, registered: boolean, asker: BotLike | undefined): BinaryNode {
  let devices: BinaryNode[] = []
  if (registered && person?.contact) {
    devices = [...contactSignal(person.contact).devices.values()].map((d) => deviceNode(d.id, d.keyIndex))
  } else if (registered) {
    devices = [deviceNode(0, 0)]
    const bot = person?.isBot ? (person.bot ?? world.bot) : undefined
    const companion = bot && bot !== asker ? botDeviceOf(world, bot) : undefined
    const keyIndex = bot?.companion?.keyIndex
    if (companion && keyIndex) devices.push(deviceNode(companion.device, keyIndex))
  }
  return { tag: 'devices', attrs: {}, content: [{ tag: 'device-list', attrs: {}, content: devices }] }
}

/** `asker`: the bot whose connection asked (the first bot when unknown). */
export function answerUsync(world: WorldLike, iq: BinaryNode, asker: BotLike | undefined = world.bot): BinaryNode {
  const usync = getBinaryNodeChild(iq, 'usync')
  const protocols = new Set(childrenOf(getBinaryNodeChild(usync, 'query')).map((p) => p.tag))
  const users: BinaryNode[] = []
  for (const user of childrenOf(getBinaryNodeChild(usync, 'list'), 'user')) {
    const a = asked(world, user)
    if (!a) continue
    const registered = !!a.person && (a.person.isBot || !!a.person.contact)
    const content: BinaryNode[] = []
    if (protocols.has('contact')) content.push({ tag: 'contact', attrs: { type: registered ? 'in' : 'out' } })
    if (protocols.has('devices')) content.push(devicesNode(world, a.person, registered, asker))
    if (protocols.has('lid') && registered && a.person && a.jid.endsWith(`@${PN_SERVER}`)) {
      content.push({ tag: 'lid', attrs: { val: a.person.lid } })
    }
    users.push({ tag: 'user', attrs: { jid: a.jid }, content })
  }
  const attrs = { ...(usync?.attrs ?? {}) }
  return { tag: 'usync', attrs, content: [{ tag: 'list', attrs: {}, content: users }] }
}
