// The simulated contacts run libsignal in the test process, and libsignal
// writes to the console whenever it opens, closes or fails a session, with the
// whole session, private keys included. Keys are never to be printed, and the
// failures themselves are counted where they matter, so those lines are dropped.
const LIBSIGNAL_CHATTER = [
  'Closing session',
  'Opening session',
  'Removing old closed session',
  'Session already',
  'Closing open session in favor of incoming prekey bundle',
  'Failed to decrypt message with any known session',
  'Session error',
  'Decrypted message with closed session',
  'Migrating session',
]

/** Drops libsignal's lines from console.info/warn/error/log until the returned function is called. */
export function quietSignalConsole(): () => void {
  const methods = ['info', 'warn', 'error', 'log'] as const
  const originals = methods.map((name) => console[name].bind(console))
  for (const [i, name] of methods.entries()) {
    const original = originals[i]!
    console[name] = (...args: unknown[]) => {
      if (typeof args[0] === 'string' && LIBSIGNAL_CHATTER.some((start) => (args[0] as string).startsWith(start))) return
      original(...args)
    }
  }
  return () => methods.forEach((name, i) => (console[name] = originals[i]!))
}
