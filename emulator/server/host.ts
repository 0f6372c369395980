// What a module that answers stanzas gets to work with. The Signal layer and
// the built-in modules (login, pairing, groups) all see the server through
// this one interface. The world may hold many bot accounts; where a method
// takes an optional `bot`, leaving it out means the first one (world.bot),
// which is what single-bot callers always meant.
import type { BinaryNode } from '../wire/binary-node.js'
import type { BotAccount } from '../world/bot-account.js'
import type { World } from '../world/world.js'
import type { MediaStore } from '../media/media-store.js'
import type { FaultState } from './faults.js'
import type { Router } from './router.js'
import type { BotSession } from './session.js'

export interface EmulatorHost {
  readonly world: World
  readonly router: Router
  readonly faults: FaultState
  /** The media host's tokens and blobs (`media_conn`, uploads, downloads). */
  readonly media: MediaStore
  log(line: string): void
  /** A bot's logged-in session (after `<success>`), if it is connected. */
  session(bot?: BotAccount): BotSession | undefined
  /** Every connected bot's logged-in session. */
  sessions(): BotSession[]
  /** Pushes a node to a logged-in bot; false when it is not connected. */
  sendToBot(node: BinaryNode, bot?: BotAccount): boolean
  /** Sends an IQ to a logged-in bot and resolves with its reply. */
  queryBot(iq: BinaryNode, timeoutMs?: number, bot?: BotAccount): Promise<BinaryNode>
  /** A fresh stanza id. */
  nextId(): string
  /** Server time, unix seconds. */
  now(): number
  /**
   * Runs each time a bot goes active after a login (`session.bot` says
   * which), before the server reports its offline queue. Push queued
   * stanzas from here and return how many; their sum is the
   * `<ib><offline count/>` the client gets.
   */
  onActive(cb: (session: BotSession) => number | void | Promise<number | void>): void
  /** Runs when the emulator stops (reject waiters, clear timers). */
  onStop(cb: () => void | Promise<void>): void
}
