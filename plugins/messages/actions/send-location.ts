import { defineAction } from 'waplug'
import { recipient, sending, TO, type SentData } from '../sending.js'

interface Input {
  to: string
  latitude: number
  longitude: number
  name?: string
  address?: string
}

export const sendLocation = defineAction<Input, SentData>({
  name: 'location',
  summary: 'Send a location pin',
  input: {
    type: 'object',
    additionalProperties: false,
    required: ['to', 'latitude', 'longitude'],
    properties: {
      to: TO,
      latitude: { type: 'number', title: 'latitude', minimum: -90, maximum: 90 },
      longitude: { type: 'number', title: 'longitude', minimum: -180, maximum: 180 },
      name: { type: 'string', title: 'name', maxLength: 1000 },
      address: { type: 'string', title: 'address', maxLength: 1000 },
    },
  },
  http: { method: 'POST', path: '/messages/location' },
  successMessage: 'Location sent',
  failureMessage: 'Failed to send the location',
  handler(input, { whatsapp, signal }) {
    const chat = recipient(input.to)
    const { latitude, longitude, name, address } = input
    return sending(() => whatsapp.send(chat, { kind: 'location', location: { latitude, longitude, ...(name ? { name } : {}), ...(address ? { address } : {}) } }, { signal }))
  },
})
