import { badRequest, defineAction, phoneDigits } from 'waplug'
import { recipient, sending, TO, type SentData } from '../sending.js'

interface Card {
  name: string
  phone?: string
  vcard?: string
}

interface Input {
  to: string
  contacts: Card[]
}

/** The vCard WhatsApp's apps write for a number: `waid` makes it tappable as a WhatsApp chat. */
function vcardOf(card: Card, index: number): string {
  if (card.vcard) {
    if (!/^BEGIN:VCARD/i.test(card.vcard.trim())) throw badRequest(`contacts[${index}].vcard does not start with BEGIN:VCARD; give a vCard, or name and phone instead`)
    return card.vcard
  }
  const digits = card.phone === undefined ? undefined : phoneDigits(card.phone)
  if (!digits) throw badRequest(`contacts[${index}] needs a phone number with its country code (or a vcard)`)
  const name = card.name.replace(/[\r\n;]/g, ' ')
  return ['BEGIN:VCARD', 'VERSION:3.0', `FN:${name}`, `TEL;type=CELL;type=VOICE;waid=${digits}:+${digits}`, 'END:VCARD'].join('\n')
}

export const sendContact = defineAction<Input, SentData>({
  name: 'contact',
  summary: 'Send one or more contact cards',
  input: {
    type: 'object',
    additionalProperties: false,
    required: ['to', 'contacts'],
    properties: {
      to: TO,
      contacts: {
        type: 'array',
        title: 'contacts',
        minItems: 1,
        maxItems: 50,
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['name'],
          properties: {
            name: { type: 'string', title: 'name', notBlank: true, maxLength: 256 },
            phone: { type: 'string', title: 'phone', maxLength: 40 },
            vcard: { type: 'string', title: 'vcard', maxLength: 16384 },
          },
        },
      },
    },
  },
  http: { method: 'POST', path: '/messages/contact' },
  successMessage: (_data, input) => (input.contacts.length === 1 ? 'Contact sent' : 'Contacts sent'),
  failureMessage: 'Failed to send the contact',
  handler(input, { whatsapp, signal }) {
    const chat = recipient(input.to)
    const contacts = input.contacts.map((card, index) => ({ name: card.name.trim(), vcard: vcardOf(card, index) }))
    return sending(() => whatsapp.send(chat, { kind: 'contact', contacts }, { signal }))
  },
})
