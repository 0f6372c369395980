/**
 * waplug's testing kit: test a plugin against the real runtime and WhatsApp
 * client, with an emulated WhatsApp server on this machine instead of phones.
 *
 *   import { startTestBot } from 'waplug/testing'
 *
 *   it('answers', async (t) => {
 *     const bot = await startTestBot(t, { plugins: [myPlugin] })
 *     assert.deepEqual(await bot.say('!ping'), ['pong'])
 *   })
 */
export { startTestBot, type TestContextLike } from './start-test-bot.js'
export type {
  ActAs,
  ContactMediaOptions,
  ContactSendOptions,
  ContactOptions,
  GroupOptions,
  MessageQuery,
  RequestOptions,
  SayOptions,
  TestBot,
  TestBotOptions,
  TestChat,
  TestContact,
  TestGroup,
  TestLogLevel,
  TestMessage,
  TestResponse,
} from './api.js'
export type { ConfigInput } from '../config.js'
export type { Emulator, GroupView } from '../../emulator/index.js'
