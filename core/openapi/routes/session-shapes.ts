import type { JsonSchema } from '../../validation.js'

export const CONNECTION_STATE: JsonSchema = { enum: ['connecting', 'pairing', 'open', 'closed', 'logged-out'] }

const nullableText = (description: string): JsonSchema => ({ type: ['string', 'null'], description })

/** A session as GET /sessions/{session} shows it. */
export const SESSION_INFO: JsonSchema = {
  type: 'object',
  required: ['id', 'state', 'jid', 'lid', 'qr', 'pairing_code'],
  properties: {
    id: { type: 'string' },
    state: CONNECTION_STATE,
    jid: nullableText("The number's WhatsApp id, once paired."),
    lid: nullableText('Its lid, once paired.'),
    qr: nullableText('While pairing by QR: the text to draw as a QR code (or GET …/qr.png) and scan with the phone.'),
    pairing_code: nullableText('While pairing by phone number: the code to type on the phone.'),
  },
}

/** A session in the list of GET /sessions. */
export const SESSION_SUMMARY: JsonSchema = {
  type: 'object',
  required: ['id', 'state', 'jid', 'lid'],
  properties: { id: { type: 'string' }, state: CONNECTION_STATE, jid: { type: ['string', 'null'] }, lid: { type: ['string', 'null'] } },
}
