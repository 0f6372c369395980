// The API description against the real server: every operation it describes
// is called at least once on a listening runtime logged in to the emulator,
// and each answer (status, content type, body) must match the description's
// response schema for that status. A described operation that no entry calls
// fails the test: a new route needs an entry in CALLS.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { OpenApiDocument } from '../../core/openapi/index.js'
import { startTestBot, type TestBot, type TestContact, type TestGroup } from '../../core/testing/index.js'
import { responseChecker, type Answer } from '../support/openapi-responses.js'
import { WebhookReceiver } from '../support/webhook-receiver.js'

/** What a call needs: the bot, its people and groups, and what earlier calls returned. */
interface World {
  bot: TestBot
  alice: TestContact
  bob: TestContact
  carol: TestContact
  /** A group the bot administers, with Alice in it. */
  team: TestGroup
  receiver: WebhookReceiver
  /** What earlier calls handed on (a key id, an invite code, a group made). */
  saved: Record<string, string>
  startedAt: string
}

interface Call {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
  path: string
  body?: unknown
  /** `null`: no credential. Default: the kit's API key. */
  auth?: string | null
  /** The status it must answer. */
  status: number
  /** More to check, or to keep for later calls. */
  check?: (answer: Answer, world: World) => void | Promise<void>
}

type Entry = [operationId: string, call: (world: World) => Call | Promise<Call>]

const data = (answer: Answer): Record<string, unknown> => (answer.body as { data: Record<string, unknown> }).data
const GROUP_NOBODY_KNOWS = '120363000000000099@g.us'
/** Keeps the id a send answered with, for later calls on that message. */
const keep =
  (name: string) =>
  (answer: Answer, world: World): void =>
    void (world.saved[name] = String(data(answer).id))
/** A real 1×1 PNG: the media checks read the bytes' type. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64')

/** One entry per call, run in this order; each names the operation it exercises. */
const CALLS: Entry[] = [
  ['health', () => ({ method: 'GET', path: '/health', auth: null, status: 200 })],
  ['metrics', () => ({ method: 'GET', path: '/metrics', auth: null, status: 200, check: (a) => assert.match(String(a.body), /^# HELP /m) })],
  ['openapi', () => ({ method: 'GET', path: '/openapi.json', auth: null, status: 200 })],
  ['docs', () => ({ method: 'GET', path: '/docs', auth: null, status: 200, check: (a) => assert.match(String(a.body), /<title>waplug/) })],
  ['docs.file', () => ({ method: 'GET', path: '/docs/swagger-ui-bundle.js', auth: null, status: 200 })],
  ['docs.file', () => ({ method: 'GET', path: '/docs/no-such-file.js', status: 404 })],

  // Webhooks first, so that the group changes below leave deliveries to look at.
  ['webhooks.create', (w) => ({ method: 'POST', path: '/webhooks', body: { url: w.receiver.url, events: ['*'] }, status: 201, check: (a) => void (w.saved.hook = String(data(a).id)) })],
  [
    'webhooks.create.inSession',
    (w) => ({ method: 'POST', path: '/sessions/default/webhooks', body: { url: w.receiver.url, events: ['group.*'] }, status: 201, check: (a) => void (w.saved.sessionHook = String(data(a).id)) }),
  ],
  ['webhooks.create', () => ({ method: 'POST', path: '/webhooks', body: { url: 'ftp://example.com', events: ['*'] }, status: 400 })],

  ['session.get', () => ({ method: 'GET', path: '/session', status: 200 })],
  ['session.get', () => ({ method: 'GET', path: '/session', auth: 'not-a-key-at-all', status: 401 })],
  ['session.get.inSession', () => ({ method: 'GET', path: '/sessions/default', status: 200 })],
  ['session.qr', () => ({ method: 'GET', path: '/session/qr.png', status: 404 })],
  ['sessions.list', () => ({ method: 'GET', path: '/sessions', status: 200 })],
  ['sessions.create', () => ({ method: 'POST', path: '/sessions', body: { id: 'contract' }, status: 201 })],
  ['sessions.create', () => ({ method: 'POST', path: '/sessions', body: { id: 'contract' }, status: 409 })],
  [
    'session.qr.inSession',
    async (w) => {
      await until(async () => (await w.bot.request<{ qr: string | null }>('GET', '/sessions/contract')).envelope, (e) => e.status && e.data.qr !== null, 'a QR for the new session')
      return { method: 'GET', path: '/sessions/contract/qr.png', status: 200, check: (a) => assert.equal(String(a.body).slice(1, 4), 'PNG') }
    },
  ],
  ['sessionKeys.create', (w) => ({ method: 'POST', path: '/sessions/contract/keys', body: { label: 'contract' }, status: 201, check: (a) => void (w.saved.key = String(data(a).id)) })],
  ['sessionKeys.list', () => ({ method: 'GET', path: '/sessions/contract/keys', status: 200 })],
  ['sessionKeys.revoke', (w) => ({ method: 'DELETE', path: `/sessions/contract/keys/${w.saved.key}`, status: 200 })],
  ['sessionKeys.revoke', (w) => ({ method: 'DELETE', path: `/sessions/contract/keys/${w.saved.key}`, status: 404 })],
  ['session.logout.inSession', () => ({ method: 'POST', path: '/sessions/contract/logout', status: 200 })],
  ['sessions.delete', () => ({ method: 'DELETE', path: '/sessions/contract', status: 200 })],
  ['sessions.delete', () => ({ method: 'DELETE', path: '/sessions/default', status: 409 })],

  ['groups.list', () => ({ method: 'GET', path: '/groups?participants=true', status: 200 })],
  ['groups.list.inSession', () => ({ method: 'GET', path: '/sessions/default/groups?refresh=true', status: 200 })],
  ['groups.list.inSession', () => ({ method: 'GET', path: '/sessions/nobody/groups', status: 404 })],
  [
    'groups.create',
    (w) => ({ method: 'POST', path: '/groups', body: { name: 'Contract made', participants: [w.alice.phone, w.bob.phone] }, status: 200, check: (a) => void (w.saved.made = String(data(a).jid)) }),
  ],
  ['groups.create', () => ({ method: 'POST', path: '/groups', body: { participants: [] }, status: 400 })],
  ['groups.create.inSession', (w) => ({ method: 'POST', path: '/sessions/default/groups', body: { name: 'Contract to leave' }, status: 200, check: (a) => void (w.saved.toLeave = String(data(a).jid)) })],
  ['groups.info', (w) => ({ method: 'GET', path: `/groups/${w.team.jid}?refresh=true`, status: 200 })],
  ['groups.info.inSession', (w) => ({ method: 'GET', path: `/sessions/default/groups/${w.team.jid}`, status: 200 })],
  ['groups.info.inSession', () => ({ method: 'GET', path: `/sessions/default/groups/${GROUP_NOBODY_KNOWS}`, status: 404 })],
  ['groups.add', (w) => ({ method: 'POST', path: `/groups/${w.team.jid}/participants/add`, body: { participants: [w.bob.phone, w.alice.phone] }, status: 200 })],
  ['groups.promote', (w) => ({ method: 'POST', path: `/groups/${w.team.jid}/participants/promote`, body: { participants: [w.bob.phone] }, status: 200 })],
  ['groups.demote', (w) => ({ method: 'POST', path: `/groups/${w.team.jid}/participants/demote`, body: { participants: [w.bob.phone] }, status: 200 })],
  ['groups.remove', (w) => ({ method: 'POST', path: `/groups/${w.team.jid}/participants/remove`, body: { participants: [w.bob.phone] }, status: 200 })],
  ['groups.add.inSession', (w) => ({ method: 'POST', path: `/sessions/default/groups/${w.team.jid}/participants/add`, body: { participants: [w.carol.phone] }, status: 200 })],
  ['groups.promote.inSession', (w) => ({ method: 'POST', path: `/sessions/default/groups/${w.team.jid}/participants/promote`, body: { participants: [w.carol.phone] }, status: 200 })],
  ['groups.demote.inSession', (w) => ({ method: 'POST', path: `/sessions/default/groups/${w.team.jid}/participants/demote`, body: { participants: [w.carol.phone] }, status: 200 })],
  ['groups.remove.inSession', (w) => ({ method: 'POST', path: `/sessions/default/groups/${w.team.jid}/participants/remove`, body: { participants: [w.carol.phone] }, status: 200 })],
  ['groups.remove', (w) => ({ method: 'POST', path: `/groups/${w.team.jid}/participants/remove`, body: { participants: [w.bot.jid] }, status: 400 })],
  ['groups.subject', (w) => ({ method: 'PUT', path: `/groups/${w.team.jid}/subject`, body: { subject: 'Contract team, renamed' }, status: 200 })],
  ['groups.subject.inSession', (w) => ({ method: 'PUT', path: `/sessions/default/groups/${w.team.jid}/subject`, body: { subject: 'Contract team' }, status: 200 })],
  ['groups.description', (w) => ({ method: 'PUT', path: `/groups/${w.team.jid}/description`, body: { description: 'Where the contract is kept' }, status: 200 })],
  ['groups.description.inSession', (w) => ({ method: 'PUT', path: `/sessions/default/groups/${w.team.jid}/description`, body: { description: '' }, status: 200 })],
  ['groups.settings', (w) => ({ method: 'PUT', path: `/groups/${w.team.jid}/settings`, body: { join_approval: true, disappearing_seconds: 0 }, status: 200 })],
  ['groups.settings.inSession', (w) => ({ method: 'PUT', path: `/sessions/default/groups/${w.team.jid}/settings`, body: { only_admins_edit: true }, status: 200 })],
  ['groups.settings.inSession', (w) => ({ method: 'PUT', path: `/sessions/default/groups/${w.team.jid}/settings`, body: {}, status: 400 })],
  ['groups.invite', (w) => ({ method: 'GET', path: `/groups/${w.team.jid}/invite`, status: 200, check: (a) => void (w.saved.code = String(data(a).code)) })],
  ['groups.invite.inSession', (w) => ({ method: 'GET', path: `/sessions/default/groups/${w.team.jid}/invite`, status: 200 })],
  ['groups.invite-preview', (w) => ({ method: 'GET', path: `/groups/invite/${w.saved.code}`, status: 200 })],
  ['groups.invite-preview.inSession', (w) => ({ method: 'GET', path: `/sessions/default/groups/invite/${w.saved.code}`, status: 200 })],
  // The group the bot made, for joining again once it has left (below).
  ['groups.invite', (w) => ({ method: 'GET', path: `/groups/${w.saved.made}/invite`, status: 200, check: (a) => void (w.saved.madeCode = String(data(a).code)) })],
  ['groups.join', (w) => ({ method: 'POST', path: '/groups/join', body: { invite: `https://chat.whatsapp.com/${w.saved.code}` }, status: 409 })],
  ['groups.revoke', (w) => ({ method: 'POST', path: `/groups/${w.team.jid}/invite/revoke`, status: 200 })],
  ['groups.revoke.inSession', (w) => ({ method: 'POST', path: `/sessions/default/groups/${w.team.jid}/invite/revoke`, status: 200 })],
  ['groups.invite-preview.inSession', (w) => ({ method: 'GET', path: `/sessions/default/groups/invite/${w.saved.code}`, status: 404 })],
  ['groups.join.inSession', (w) => ({ method: 'POST', path: '/sessions/default/groups/join', body: { invite: w.saved.code }, status: 404 })],
  [
    'groups.requests',
    async (w) => {
      await w.team.requestToJoin(w.bob)
      await w.team.requestToJoin(w.carol)
      return { method: 'GET', path: `/groups/${w.team.jid}/requests`, status: 200, check: (a) => assert.equal((a.body as { data: unknown[] }).data.length, 2) }
    },
  ],
  ['groups.requests.inSession', (w) => ({ method: 'GET', path: `/sessions/default/groups/${w.team.jid}/requests`, status: 200 })],
  ['groups.approve', (w) => ({ method: 'POST', path: `/groups/${w.team.jid}/requests/approve`, body: { participants: [w.bob.phone] }, status: 200 })],
  ['groups.reject', (w) => ({ method: 'POST', path: `/groups/${w.team.jid}/requests/reject`, body: { participants: [w.carol.phone] }, status: 200 })],
  ['groups.approve.inSession', (w) => ({ method: 'POST', path: `/sessions/default/groups/${w.team.jid}/requests/approve`, body: { participants: [w.alice.phone] }, status: 200 })],
  ['groups.reject.inSession', (w) => ({ method: 'POST', path: `/sessions/default/groups/${w.team.jid}/requests/reject`, body: { participants: [w.alice.phone] }, status: 200 })],
  ['groups.leave', (w) => ({ method: 'POST', path: `/groups/${w.saved.toLeave}/leave`, status: 200 })],
  ['groups.leave.inSession', (w) => ({ method: 'POST', path: `/sessions/default/groups/${w.saved.made}/leave`, status: 200 })],
  ['groups.join', (w) => ({ method: 'POST', path: '/groups/join', body: { invite: `https://chat.whatsapp.com/${w.saved.madeCode}` }, status: 200 })],
  ['groups.leave', (w) => ({ method: 'POST', path: `/groups/${w.saved.made}/leave`, status: 200 })],
  ['groups.join.inSession', (w) => ({ method: 'POST', path: '/sessions/default/groups/join', body: { invite: w.saved.madeCode }, status: 200 })],

  // The messages plugin: every operation once with an answer that works, and calls on a message id nobody
  // knows (404) or without what they need (400). Sent ids are kept for the reaction, edit and delete.
  ['messages.text', (w) => ({ method: 'POST', path: '/messages/text', body: { to: w.alice.phone, text: 'Hello from the contract' }, status: 200, check: keep('text') })],
  ['messages.text.inSession', (w) => ({ method: 'POST', path: '/sessions/default/messages/text', body: { to: w.team.jid, text: 'Hello, team' }, status: 200, check: keep('teamText') })],
  ['messages.location', (w) => ({ method: 'POST', path: '/messages/location', body: { to: w.alice.phone, latitude: 52.37, longitude: 4.89 }, status: 200 })],
  [
    'messages.location.inSession',
    (w) => ({ method: 'POST', path: '/sessions/default/messages/location', body: { to: w.team.jid, latitude: -33.86, longitude: 151.21, name: 'Opera House', address: 'Sydney' }, status: 200 }),
  ],
  ['messages.location.inSession', () => ({ method: 'POST', path: '/sessions/default/messages/location', body: {}, status: 400 })],
  ['messages.poll', (w) => ({ method: 'POST', path: '/messages/poll', body: { to: w.team.jid, name: 'Lunch?', options: ['yes', 'no'] }, status: 200 })],
  ['messages.poll.inSession', (w) => ({ method: 'POST', path: '/sessions/default/messages/poll', body: { to: w.alice.phone, name: 'Tea or coffee?', options: ['tea', 'coffee'] }, status: 200 })],
  ['messages.poll.inSession', () => ({ method: 'POST', path: '/sessions/default/messages/poll', body: {}, status: 400 })],
  [
    'messages.media',
    (w) => ({ method: 'POST', path: '/messages/media', body: { to: w.alice.phone, kind: 'image', base64: PNG.toString('base64'), caption: 'a dot' }, status: 200, check: keep('image') }),
  ],
  ['messages.media', () => ({ method: 'POST', path: '/messages/media', body: {}, status: 400 })],
  [
    'messages.media.inSession',
    (w) => ({
      method: 'POST',
      path: '/sessions/default/messages/media',
      body: { to: w.team.jid, kind: 'document', base64: `data:text/csv;base64,${Buffer.from('a,b\n1,2\n').toString('base64')}`, file_name: 'numbers.csv', mimetype: 'text/csv' },
      status: 200,
    }),
  ],
  ['messages.media.inSession', () => ({ method: 'POST', path: '/sessions/default/messages/media', body: {}, status: 400 })],
  ['messages.contact', (w) => ({ method: 'POST', path: '/messages/contact', body: { to: w.alice.phone, contacts: [{ name: 'Bob', phone: `+${w.bob.phone}` }] }, status: 200 })],
  ['messages.contact', () => ({ method: 'POST', path: '/messages/contact', body: {}, status: 400 })],
  [
    'messages.contact.inSession',
    (w) => ({
      method: 'POST',
      path: '/sessions/default/messages/contact',
      body: { to: w.team.jid, contacts: [{ name: 'Carol', phone: w.carol.phone }, { name: 'Desk', vcard: 'BEGIN:VCARD\nVERSION:3.0\nFN:Desk\nTEL:+15550000000\nEND:VCARD' }] },
      status: 200,
    }),
  ],
  ['messages.contact.inSession', () => ({ method: 'POST', path: '/sessions/default/messages/contact', body: {}, status: 400 })],
  ['messages.reaction', (w) => ({ method: 'POST', path: '/messages/reaction', body: { to: w.alice.phone, message_id: w.saved.text, emoji: '👍' }, status: 200 })],
  ['messages.reaction', () => ({ method: 'POST', path: '/messages/reaction', body: {}, status: 400 })],
  ['messages.reaction.inSession', (w) => ({ method: 'POST', path: '/sessions/default/messages/reaction', body: { to: w.alice.phone, message_id: w.saved.text, emoji: '' }, status: 200 })],
  ['messages.reaction.inSession', () => ({ method: 'POST', path: '/sessions/default/messages/reaction', body: {}, status: 400 })],
  ['messages.edit', (w) => ({ method: 'PUT', path: `/messages/${w.saved.text}`, body: { to: w.alice.phone, text: 'Hello from the contract, edited' }, status: 200 })],
  ['messages.edit', () => ({ method: 'PUT', path: '/messages/UNKNOWNMESSAGE01', body: {}, status: 400 })],
  ['messages.edit.inSession', (w) => ({ method: 'PUT', path: `/sessions/default/messages/${w.saved.teamText}`, body: { to: w.team.jid, text: 'Hello, whole team' }, status: 200 })],
  ['messages.edit.inSession', () => ({ method: 'PUT', path: '/sessions/default/messages/UNKNOWNMESSAGE01', body: {}, status: 400 })],
  ['messages.delete', (w) => ({ method: 'DELETE', path: `/messages/${w.saved.image}?to=${w.alice.phone}`, status: 200 })],
  // WhatsApp takes a delete of an id it never saw, as it does from the phones.
  ['messages.delete', (w) => ({ method: 'DELETE', path: `/messages/UNKNOWNMESSAGE01?to=${w.alice.phone}`, status: 200 })],
  ['messages.delete.inSession', (w) => ({ method: 'DELETE', path: `/sessions/default/messages/${w.saved.teamText}?to=${encodeURIComponent(w.team.jid)}`, status: 200 })],
  ['messages.delete.inSession', () => ({ method: 'DELETE', path: '/sessions/default/messages/UNKNOWNMESSAGE01', status: 400 })],
  [
    'messages.download',
    async (w) => {
      w.saved.received = await w.alice.sendImage(PNG, { caption: 'from Alice', mimetype: 'image/png' })
      // The record of a received message is written as the bot takes it in: ask until it is there.
      const status = async (): Promise<number> => {
        const response = await fetch(`${w.bot.url}/messages/${w.saved.received}/media`, { headers: { authorization: w.bot.apiKey } })
        await response.body?.cancel()
        return response.status
      }
      await until(status, (answered) => answered !== 404, 'the received image')
      return { method: 'GET', path: `/messages/${w.saved.received}/media`, status: 200, check: (a) => assert.equal(Buffer.from(String(a.body), 'latin1').compare(PNG), 0, 'the bytes Alice sent') }
    },
  ],
  ['messages.download', () => ({ method: 'GET', path: '/messages/UNKNOWNMESSAGE01/media', status: 404 })],
  ['messages.download.inSession', (w) => ({ method: 'GET', path: `/sessions/default/messages/${w.saved.received}/media`, status: 200 })],
  ['messages.download.inSession', () => ({ method: 'GET', path: '/sessions/default/messages/UNKNOWNMESSAGE01/media', status: 404 })],
  ['messages.presence', (w) => ({ method: 'POST', path: `/chats/${w.alice.phone}/presence`, body: { presence: 'composing' }, status: 200 })],
  ['messages.presence.inSession', (w) => ({ method: 'POST', path: `/sessions/default/chats/${w.alice.phone}/presence`, body: { presence: 'paused' }, status: 200 })],
  ['messages.read', (w) => ({ method: 'POST', path: `/chats/${w.alice.phone}/read`, status: 200 })],
  ['messages.read.inSession', (w) => ({ method: 'POST', path: `/sessions/default/chats/${w.alice.phone}/read`, status: 200 })],
  ['messages.check', (w) => ({ method: 'POST', path: '/contacts/check', body: { phones: [w.alice.phone, '15559999999'] }, status: 200 })],
  ['messages.check.inSession', (w) => ({ method: 'POST', path: '/sessions/default/contacts/check', body: { phones: [`+${w.bob.phone}`] }, status: 200 })],
  ['messages.check.inSession', () => ({ method: 'POST', path: '/sessions/default/contacts/check', body: {}, status: 400 })],

  [
    'webhooks.deliveries',
    async (w) => {
      await until(async () => w.receiver.received.length, (count) => count > 0, 'a webhook delivery')
      return { method: 'GET', path: `/webhooks/${w.saved.hook}/deliveries?limit=5`, status: 200, check: (a) => assert.ok((data(a).attempts as unknown[]).length > 0) }
    },
  ],
  ['webhooks.deliveries.inSession', (w) => ({ method: 'GET', path: `/sessions/default/webhooks/${w.saved.sessionHook}/deliveries`, status: 200 })],
  ['webhooks.list', () => ({ method: 'GET', path: '/webhooks', status: 200 })],
  ['webhooks.list.inSession', () => ({ method: 'GET', path: '/sessions/default/webhooks', status: 200 })],
  ['webhooks.get', (w) => ({ method: 'GET', path: `/webhooks/${w.saved.hook}`, status: 200 })],
  ['webhooks.get.inSession', (w) => ({ method: 'GET', path: `/sessions/default/webhooks/${w.saved.sessionHook}`, status: 200 })],
  ['webhooks.get.inSession', () => ({ method: 'GET', path: '/sessions/default/webhooks/wh_nothing', status: 404 })],
  ['webhooks.replay', (w) => ({ method: 'POST', path: `/webhooks/${w.saved.hook}/replay`, body: { since: w.startedAt }, status: 200 })],
  ['webhooks.replay.inSession', (w) => ({ method: 'POST', path: `/sessions/default/webhooks/${w.saved.sessionHook}/replay`, body: { since: w.startedAt }, status: 200 })],
  ['webhooks.replay.inSession', (w) => ({ method: 'POST', path: `/sessions/default/webhooks/${w.saved.sessionHook}/replay`, body: {}, status: 400 })],
  ['webhooks.resume', (w) => ({ method: 'POST', path: `/webhooks/${w.saved.hook}/resume`, status: 200 })],
  ['webhooks.resume.inSession', (w) => ({ method: 'POST', path: `/sessions/default/webhooks/${w.saved.sessionHook}/resume`, status: 200 })],
  ['webhooks.delete', (w) => ({ method: 'DELETE', path: `/webhooks/${w.saved.hook}`, status: 200 })],
  ['webhooks.delete.inSession', (w) => ({ method: 'DELETE', path: `/sessions/default/webhooks/${w.saved.sessionHook}`, status: 200 })],

  ['events.stream', () => ({ method: 'GET', path: '/events?types=group.*', status: 200, check: (a) => assert.match(String(a.body), /^: connected/) })],
  ['events.stream.inSession', () => ({ method: 'GET', path: '/sessions/default/events', status: 200 })],

  // Last: it unlinks the bot's number.
  ['session.logout', () => ({ method: 'POST', path: '/session/logout', status: 200 })],
  // Logged out, the bot goes back to pairing: now there is a QR to show.
  [
    'session.qr',
    async (w) => {
      await until(async () => (await w.bot.request<{ qr: string | null }>('GET', '/session')).envelope, (e) => e.status && e.data.qr !== null, 'a QR after the logout')
      return { method: 'GET', path: '/session/qr.png', status: 200, check: (a) => assert.equal(String(a.body).slice(1, 4), 'PNG') }
    },
  ],
]

describe('the API description matches the real answers (every operation, on the emulator)', () => {
  let world: World
  let document: OpenApiDocument
  before(async () => {
    const receiver = new WebhookReceiver()
    await receiver.start()
    const bot = await startTestBot({
      builtins: true,
      config: {
        webhooks: { allow: { loopback: true, private: false, linkLocal: false } },
        // Group calls unpaced: the pacing is not what this test is about, and would make it slow.
        whatsapp: { groupCalls: { burst: 1000, perSecond: 1000, maxWaitMs: 15000, pauseAfterLimitSeconds: 60 } },
        // Sends unpaced too, for the same reason: about twenty go to two chats within a few seconds.
        messages: { pacing: { perSecond: 1000, burst: 1000, perChatPerSecond: 1000, perChatBurst: 1000, maxWaitSeconds: 20, typing: false, typingMaxMs: 2000 } },
      },
    })
    const [alice, bob, carol] = [bot.contact('Alice'), bot.contact('Bob'), bot.contact('Carol')]
    const team = bot.group('Contract team', { members: [alice], botIsAdmin: true })
    world = { bot, alice, bob, carol, team, receiver, saved: {}, startedAt: new Date(Date.now() - 1000).toISOString() }
    document = (await (await fetch(`${bot.url}/openapi.json`)).json()) as OpenApiDocument
  })
  after(async () => {
    await world?.bot.stop()
    await world?.receiver.stop()
  })

  it('answers every described operation as described', async () => {
    const check = responseChecker(document)
    const operationOf = matcher(document)
    const called = new Set<string>()
    const problems: string[] = []
    for (const [operationId, make] of CALLS) {
      const call = await make(world)
      const label = `${call.method} ${call.path}`
      const matched = operationOf(call.method, call.path.split('?')[0] ?? '')
      assert.equal(matched, operationId, `${label} is described as ${matched ?? 'nothing'}, but its entry says ${operationId}`)
      const answer = await send(world.bot, call)
      called.add(operationId)
      if (answer.status !== call.status) {
        problems.push(`${label}: answered ${answer.status}, the entry expects ${call.status}: ${JSON.stringify(answer.body).slice(0, 300)}`)
        continue
      }
      const checked = check(operationId, answer)
      if (!checked.ok) problems.push(`${label}: ${checked.problem ?? ''}`)
      await call.check?.(answer, world)
    }
    assert.deepEqual(problems, [], 'answers that do not match the description')
    const described = Object.values(document.paths).flatMap((methods) => Object.values(methods).map((operation) => operation.operationId))
    assert.deepEqual(
      described.filter((id) => !called.has(id)),
      [],
      'described operations no entry calls: add an entry to CALLS in test/openapi/contract.test.ts for each',
    )
  })
})

/** Sends one call and reads its answer: JSON parsed, an image or a page as text, a stream's first chunk. */
async function send(bot: TestBot, call: Call): Promise<Answer> {
  const auth = call.auth === undefined ? bot.apiKey : call.auth
  const abort = new AbortController()
  const response = await fetch(`${bot.url}${call.path}`, {
    method: call.method,
    headers: { ...(auth ? { authorization: auth } : {}), ...(call.body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(call.body === undefined ? {} : { body: JSON.stringify(call.body) }),
    signal: abort.signal,
  })
  const contentType = response.headers.get('content-type') ?? ''
  if (contentType.startsWith('text/event-stream')) {
    const reader = (response.body as ReadableStream<Uint8Array> | null)?.getReader()
    const first = await reader?.read()
    abort.abort()
    return { status: response.status, contentType, body: new TextDecoder().decode(first?.value ?? new Uint8Array()) }
  }
  if (contentType.startsWith('application/json')) return { status: response.status, contentType, body: await response.json() }
  return { status: response.status, contentType, body: Buffer.from(await response.arrayBuffer()).toString('latin1') }
}

/** The operation a request reaches: the described path that matches it, literal segments before parameters. */
function matcher(document: OpenApiDocument): (method: string, path: string) => string | undefined {
  const routes = Object.entries(document.paths).flatMap(([template, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({
      method: method.toUpperCase(),
      pattern: new RegExp(`^${template.replace(/[.]/g, '\\.').replace(/\{\w+\}/g, '[^/]+')}$`),
      literal: template.replace(/\{\w+\}/g, '').length,
      operationId: operation.operationId,
    })),
  )
  return (method, path) =>
    routes
      .filter((route) => route.method === method && route.pattern.test(path))
      .sort((a, b) => b.literal - a.literal)[0]?.operationId
}

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (done(await read())) return
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  throw new Error(`waited ${timeoutMs} ms for ${what}`)
}
