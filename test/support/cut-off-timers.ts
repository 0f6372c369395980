import { createHook } from 'node:async_hooks'

/**
 * A query cut off by a closed socket leaves Baileys' timer for it running
 * until its timeout; with a long query timeout that would hold a finished
 * test process open. Timers of exactly `ms` (pick an unusual value) are
 * unref'd: they still fire while the process lives, but cannot keep it alive.
 */
export function unrefTimersOf(ms: number): void {
  createHook({
    init(_id, type, _trigger, resource) {
      const timer = resource as NodeJS.Timeout & { _idleTimeout?: number }
      if (type === 'Timeout' && timer._idleTimeout === ms) timer.unref()
    },
  }).enable()
}
