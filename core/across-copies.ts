/**
 * One process can hold two copies of waplug: a plugin gets its 'waplug' from
 * the package (compiled, dist/) while the runtime runs from its sources (tests,
 * `npm run dev`), or from its own node_modules. Whatever identity matters
 * between a plugin and the runtime is therefore keyed in the global symbol
 * registry, which both copies share, rather than in one module's objects.
 */
export function sharedSymbol(name: string): symbol {
  return Symbol.for(`waplug.${name}`)
}

/**
 * Makes `error instanceof cls` true for an instance of the class of the same
 * name from any copy of waplug: a plugin's `notFound()` must reach the client
 * as a 404, and the runtime's WhatsAppError must match a plugin's check.
 */
export function recognizedAcrossCopies(cls: abstract new (...args: never[]) => Error, name: string): void {
  const brand = sharedSymbol(name)
  Object.defineProperty(cls.prototype, brand, { value: true })
  Object.defineProperty(cls, Symbol.hasInstance, {
    value(this: abstract new (...args: never[]) => unknown, value: unknown): boolean {
      // A plugin's subclass inherits this method; for it, the ordinary check.
      if (this !== cls) return Function.prototype[Symbol.hasInstance].call(this, value)
      return typeof value === 'object' && value !== null && brand in value
    },
  })
}
