/**
 * Ids as people type them and as WhatsApp wants them. Users write phone numbers
 * in every shape ("+62 812-3456-7890", "0062...", "@6281234567890"); WhatsApp
 * wants `<digits>@s.whatsapp.net`, or `<digits>@lid` in LID-addressed groups.
 */
const USER_JID = /^(\d{5,20})(?::\d+)?@(s\.whatsapp\.net|c\.us|lid)$/
const GROUP_JID = /^(\d{5,25}(?:-\d{5,15})?)@g\.us$/
const BARE_GROUP_ID = /^\d{5,25}(?:-\d{5,15})?$/
const PHONE_PUNCTUATION = /[\s\-().]/g

/** E.164 allows at most 15 digits; fewer than 7 is no real subscriber number. */
const PHONE_DIGITS = /^\d{7,15}$/

export function phoneDigits(input: string): string | undefined {
  let text = input.trim().replace(PHONE_PUNCTUATION, '')
  if (text.startsWith('@')) text = text.slice(1)
  if (text.startsWith('+')) text = text.slice(1)
  else if (text.startsWith('00')) text = text.slice(2)
  return PHONE_DIGITS.test(text) ? text : undefined
}

/** A phone number, phone jid, lid or @mention as a user jid; undefined when it is none of them. */
export function toUserJid(input: string): string | undefined {
  const text = input.trim()
  const jid = USER_JID.exec(text)
  if (jid) return `${jid[1]}@${jid[2] === 'lid' ? 'lid' : 's.whatsapp.net'}`
  const digits = phoneDigits(text)
  return digits === undefined ? undefined : `${digits}@s.whatsapp.net`
}

/** A group jid, or a bare group id, as a group jid; undefined when it is neither. */
export function toGroupJid(input: string): string | undefined {
  const text = input.trim()
  if (GROUP_JID.test(text)) return text
  return BARE_GROUP_ID.test(text) ? `${text}@g.us` : undefined
}

/**
 * Whether a word someone typed names a group: a group jid, or a bare id longer
 * than any phone number (E.164 stops at 15 digits, group ids have 18).
 */
export const isGroupWord = (word: string): boolean => /^(\d{16,25}|\d{5,15}-\d{5,15})(@g\.us)?$|@g\.us$/.test(word.trim())

export const isGroupJid = (jid: string): boolean => jid.endsWith('@g.us')
export const isLid = (jid: string): boolean => jid.endsWith('@lid')
export const isPhoneJid = (jid: string): boolean => jid.endsWith('@s.whatsapp.net')

/** `6281234567890:12@s.whatsapp.net` (a device) → `6281234567890@s.whatsapp.net`. */
export function normalizeJid(jid: string): string {
  const at = jid.indexOf('@')
  if (at < 0) return jid
  const colon = jid.indexOf(':')
  const device = colon >= 0 && colon < at
  const oldServer = jid.endsWith('@c.us')
  // Most jids are already plain: returned as they are, without building a new string (several per group call).
  if (!device && !oldServer) return jid
  return `${jid.slice(0, device ? colon : at)}@${oldServer ? 's.whatsapp.net' : jid.slice(at + 1)}`
}

/** The digits of a phone jid, or undefined for lids and groups. */
export function phoneOfJid(jid: string): string | undefined {
  return isPhoneJid(jid) ? normalizeJid(jid).split('@')[0] : undefined
}

/**
 * Where a message goes, from anything people write for it: a phone number in
 * any common shape (`+49 170 1234567`, `0049 170…`, `491701234567`), a phone
 * jid, a lid, or a group (its jid, or its bare id). Numbers must carry their
 * country code: `0170 1234567` could be in any country.
 */
export function chatJidOf(input: string): { jid: string } | { error: string } {
  const text = input.trim()
  const shapes = `write a phone number with its country code (+49 170 1234567), or a WhatsApp id such as 491701234567@s.whatsapp.net, 123456789012345@lid or 120363012345678901@g.us`
  if (!text) return { error: `no recipient given; ${shapes}` }
  if (text.includes('@') && !text.startsWith('@')) {
    const group = GROUP_JID.test(text) ? text : undefined
    if (group) return { jid: group }
    const user = USER_JID.exec(text)
    if (user) return { jid: `${user[1]}@${user[2] === 'lid' ? 'lid' : 's.whatsapp.net'}` }
    return { error: `'${text}' is not a WhatsApp id; ${shapes}` }
  }
  if (/^\d{16,25}$|^\d{5,15}-\d{5,15}$/.test(text)) return { jid: `${text}@g.us` }
  const bare = text.replace(PHONE_PUNCTUATION, '').replace(/^@/, '')
  if (/^0[1-9]/.test(bare)) return { error: `'${text}' has no country code (a number starting with a single 0 is dialled within a country); ${shapes}` }
  const digits = phoneDigits(text)
  if (digits) return { jid: `${digits}@s.whatsapp.net` }
  return { error: `'${text}' is not a phone number or WhatsApp id; ${shapes}` }
}
