import 'reflect-metadata'
import { container as rootContainer, type DependencyContainer } from 'tsyringe'

/** A DI token that remembers the type it resolves to. */
export type Token<T> = symbol & { readonly __type?: T }

export function token<T>(description: string): Token<T> {
  return Symbol(description)
}

/** One container per runtime, so two runtimes (or two tests) never share a service. */
export function createContainer(): DependencyContainer {
  return rootContainer.createChildContainer()
}

export function resolve<T>(container: DependencyContainer, key: Token<T>): T {
  return container.resolve<T>(key)
}

export type { DependencyContainer }
