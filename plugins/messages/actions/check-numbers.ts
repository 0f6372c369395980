import { badRequest, defineAction, phoneDigits, type NumberCheck } from 'waplug'
import { inWords } from '../sending.js'

interface Input {
  phones: string[]
}

interface Checked {
  phone: string
  exists: boolean
  jid?: string
  lid?: string
}

export const checkNumbers = defineAction<Input, Checked[]>({
  name: 'check',
  summary: 'Check which phone numbers have WhatsApp',
  input: {
    type: 'object',
    additionalProperties: false,
    required: ['phones'],
    properties: { phones: { type: 'array', title: 'phones', minItems: 1, maxItems: 50, items: { type: 'string', minLength: 1, maxLength: 40 } } },
  },
  http: { method: 'POST', path: '/contacts/check' },
  chat: { command: 'check', args: ['...phones'] },
  successMessage: (data) => `${data.filter((c) => c.exists).length} of ${data.length} on WhatsApp`,
  failureMessage: 'Failed to check the numbers',
  async handler(input, { whatsapp }) {
    input.phones.forEach((phone, index) => {
      const digits = phoneDigits(phone)
      if (!digits || /^0/.test(phone.trim().replace(/[\s\-().]/g, ''))) throw badRequest(`phones[${index}]: '${phone}' is not a phone number with its country code, like +49 170 1234567`)
    })
    let found: NumberCheck[]
    try {
      found = await whatsapp.checkNumbers(input.phones)
    } catch (error) {
      throw inWords(error)
    }
    return found.map(({ input: phone, exists, jid, lid }) => ({ phone, exists, ...(jid ? { jid } : {}), ...(lid ? { lid } : {}) }))
  },
  reply: (data) => data.map((c) => `${c.exists ? '✅' : '❌'} ${c.phone}${c.exists ? ' is on WhatsApp' : ' is not on WhatsApp'}`).join('\n'),
})
