// Answers `<iq xmlns="usync">`: for each user asked about, the protocols the
// query names — `devices` (device list; non-zero devices carry key-index),
// `lid` (the user's LID, for users asked by phone number) and `contact`
// (whether the number is on WhatsApp).
import { getBinaryNodeChild } from '@whiskeysockets/baileys'
import type { BinaryNode } from '@whiskeysockets/baileys'
import { childrenOf, contentBytes } from './node-bytes.js'
import { contactSignal } from './contact-state.js'
import type { PersonLike, WorldLike } from './signal-host.js'

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

/** A contact's phone and linked devices; the bot's account shows its phone only (see README). */
function devicesNode(person: PersonLike | undefined, registered: boolean): BinaryNode {
  let devices: BinaryNode[] = []
  if (registered && person?.contact) {
    devices = [...contactSignal(person.contact).devices.values()].map((d): BinaryNode => ({
      tag: 'device',
      // The client drops a companion device listed without its key index.
      attrs: d.id === 0 ? { id: '0' } : { id: String(d.id), 'key-index': String(d.keyIndex) },
    }))
  } else if (registered) {
    devices = [{ tag: 'device', attrs: { id: '0' } }]
  }
  return { tag: 'devices', attrs: {}, content: [{ tag: 'device-list', attrs: {}, content: devices }] }
}

export function answerUsync(world: WorldLike, iq: BinaryNode): BinaryNode {
  const usync = getBinaryNodeChild(iq, 'usync')
  const protocols = new Set(childrenOf(getBinaryNodeChild(usync, 'query')).map((p) => p.tag))
  const users: BinaryNode[] = []
  for (const user of childrenOf(getBinaryNodeChild(usync, 'list'), 'user')) {
    const a = asked(world, user)
    if (!a) continue
    const registered = !!a.person && (a.person.isBot || !!a.person.contact)
    const content: BinaryNode[] = []
    if (protocols.has('contact')) content.push({ tag: 'contact', attrs: { type: registered ? 'in' : 'out' } })
    if (protocols.has('devices')) content.push(devicesNode(a.person, registered))
    if (protocols.has('lid') && registered && a.person && a.jid.endsWith(`@${PN_SERVER}`)) {
      content.push({ tag: 'lid', attrs: { val: a.person.lid } })
    }
    users.push({ tag: 'user', attrs: { jid: a.jid }, content })
  }
  const attrs = { ...(usync?.attrs ?? {}) }
  return { tag: 'usync', attrs, content: [{ tag: 'list', attrs: {}, content: users }] }
}
