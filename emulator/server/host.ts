// What a module that answers stanzas gets to work with. The Signal layer and
// the built-in modules (login, pairing, groups) all see the server through
// this one interface.
import type { BinaryNode } from '../wire/binary-node.js'
import type { World } from '../world/world.js'
import type { FaultState } from './faults.js'
import type { Router } from './router.js'
import type { BotSession } from './session.js'

export interface EmulatorHost {
  readonly world: World
  readonly router: Router
  readonly faults: FaultState
  log(line: string): void
  /** The bot's logged-in session (after `<success>`), if one is connected. */
  session(): BotSession | undefined
  /** Pushes a node to the logged-in bot; false when none is connected. */
  sendToBot(node: BinaryNode): boolean
  /** Sends an IQ to the logged-in bot and resolves with its reply. */
  queryBot(iq: BinaryNode, timeoutMs?: number): Promise<BinaryNode>
  /** A fresh stanza id. */
  nextId(): string
  /** Server time, unix seconds. */
  now(): number
  /**
   * Runs each time the bot goes active after a login, before the server
   * reports its offline queue. Push queued stanzas from here and return how
   * many; their sum is the `<ib><offline count/>` the client gets.
   */
  onActive(cb: (session: BotSession) => number | void | Promise<number | void>): void
  /** Runs when the emulator stops (reject waiters, clear timers). */
  onStop(cb: () => void | Promise<void>): void
}
