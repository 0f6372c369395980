import { createHook } from 'node:async_hooks'

// Baileys races its first prekey upload against a 30 s timer it never clears, so
// every first login would keep a finished test process alive for 30 s. Unref'd,
// that timer still fires while the process lives, but cannot hold it open.
const BAILEYS_UPLOAD_TIMEOUT_MS = 30_000

createHook({
  init(_id, type, _trigger, resource) {
    const timer = resource as NodeJS.Timeout & { _idleTimeout?: number }
    if (type === 'Timeout' && timer._idleTimeout === BAILEYS_UPLOAD_TIMEOUT_MS) timer.unref()
  },
}).enable()
