/**
 * The waplug SDK: everything a plugin imports comes from here.
 *
 *   import { definePlugin, defineAction, notFound } from 'waplug'
 */
import 'reflect-metadata'

export { definePlugin } from './plugins/plugin.js'
export type { PluginContext, PluginDefinition } from './plugins/plugin.js'
export type { PluginStore } from './storage/plugin-store.js'
export type { EventContext, PluginEventHandler, PluginEventName, PluginEvents } from './events/event-bus.js'
export type { PluginSessions } from './plugins/plugin-sessions.js'
export type { WhatsAppClient } from './sessions/whatsapp-client.js'
export type { SessionInfo } from './sessions/session.js'
export { DEFAULT_SESSION } from './sessions/session-id.js'
export { defineAction } from './actions/action.js'
export type { AccessLevel, ActionContext, ActionDefinition, ActionErrors, Caller, ChatBinding, ChatPlace, CommandInfo, ConfirmContext, Cooldown, HttpBinding, HttpMethod } from './actions/action.js'
export type { Envelope, FailureEnvelope, SuccessEnvelope } from './envelope.js'
export { success, failure } from './envelope.js'
export {
  WaplugError,
  STATUS_MESSAGES,
  badRequest,
  conflict,
  forbidden,
  notFound,
  timedOut,
  tooManyRequests,
  unauthorized,
  unavailable,
} from './errors.js'
export type { ErrorCode } from './errors.js'
export type { JsonSchema } from './validation.js'
export { Tokens } from './tokens.js'
export { token } from './container.js'
export type { DependencyContainer, Token } from './container.js'
/** tsyringe's decorators, re-exported so that 'reflect-metadata' is always loaded before them. */
export { inject, injectable } from 'tsyringe'
export type { Logger } from './logger.js'
export { chatJidOf, isGroupJid, isGroupWord, isLid, isPhoneJid, normalizeJid, phoneDigits, phoneOfJid, toGroupJid, toUserJid } from './whatsapp/jids.js'
export { mediaRefOf } from './whatsapp/messages/media-ref.js'
export { streamed } from './http/streamed-file.js'
export type { StreamedFile } from './http/streamed-file.js'
export { OUTCOME_UNKNOWN, WhatsAppError } from './whatsapp/types.js'
export type {
  ConnectionState,
  GroupClient,
  GroupCreateResult,
  GroupEvent,
  GroupInfo,
  GroupSettings,
  GroupParticipant,
  IncomingMessage,
  JoinRequest,
  JoinResult,
  MediaDownload,
  MediaInput,
  MediaKind,
  MediaRef,
  MessageContact,
  MessageKind,
  MessageRef,
  NumberCheck,
  OutgoingMessage,
  Presence,
  SentMessage,
  MessageLocation,
  MessageMedia,
  MessagePoll,
  MessageReaction,
  MessageStatus,
  MessageTarget,
  ParticipantAction,
  ParticipantOutcome,
  ParticipantFailure,
  ParticipantsChange,
  Person,
  QuotedMessage,
  SendOptions,
  WhatsApp,
  WhatsAppErrorKind,
} from './whatsapp/types.js'
export { WAPLUG_VERSION } from './version.js'
export { createRuntime } from './runtime.js'
export type { Runtime, RuntimeOptions } from './runtime.js'
export type { Config } from './config.js'
