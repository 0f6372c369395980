import { badRequest, defineAction } from 'waplug'
import { recipient, sending, TO, type SentData } from '../sending.js'

interface Input {
  to: string
  name: string
  options: string[]
  selectable?: number
}

export const sendPoll = defineAction<Input, SentData>({
  name: 'poll',
  summary: 'Send a poll',
  input: {
    type: 'object',
    additionalProperties: false,
    required: ['to', 'name', 'options'],
    properties: {
      to: TO,
      name: { type: 'string', title: 'name', notBlank: true, maxLength: 255 },
      // WhatsApp's apps allow 2 to 12 options.
      options: { type: 'array', title: 'options', minItems: 2, maxItems: 12, items: { type: 'string', notBlank: true, maxLength: 100 } },
      selectable: { type: 'integer', title: 'selectable', minimum: 0, maximum: 12 },
    },
  },
  http: { method: 'POST', path: '/messages/poll' },
  successMessage: 'Poll sent',
  failureMessage: 'Failed to send the poll',
  handler(input, { whatsapp, signal }) {
    const chat = recipient(input.to)
    const options = input.options.map((option) => option.trim())
    if (new Set(options).size !== options.length) throw badRequest('options: each option must differ from the others')
    const selectable = input.selectable ?? 1
    if (selectable > options.length) throw badRequest(`selectable: ${selectable} is more than the ${options.length} options; 0 lets people pick any number`)
    return sending(() => whatsapp.send(chat, { kind: 'poll', poll: { name: input.name.trim(), options, selectable } }, { signal }))
  },
})
