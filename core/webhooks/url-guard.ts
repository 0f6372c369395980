import { lookup } from 'node:dns/promises'
import ipaddr from 'ipaddr.js'

/** Which kinds of addresses a webhook may point at besides public ones. */
export interface AllowedAddresses {
  loopback: boolean
  private: boolean
  linkLocal: boolean
}

/** ipaddr.js's range names, by what the operator allows. */
const RANGES: Record<string, keyof AllowedAddresses | 'never'> = {
  loopback: 'loopback',
  private: 'private',
  uniqueLocal: 'private',
  carrierGradeNat: 'private',
  linkLocal: 'linkLocal',
  unspecified: 'never',
  broadcast: 'never',
  multicast: 'never',
  reserved: 'never',
}

/** Whose URL is checked, for the words of a refusal: webhooks (the default) or media sent from a URL. */
export interface UrlUse {
  /** 'webhook URL', 'media URL' */
  noun: string
  /** What it must be able to do: 'receive webhooks'. */
  purpose: string
  /** The config object that allows more, e.g. 'webhooks.allow'. */
  allowKey: string
  /** A URL of the right shape, for the "not a URL" answer. */
  example: string
}

const WEBHOOKS: UrlUse = { noun: 'webhook URL', purpose: 'receive webhooks', allowKey: 'webhooks.allow', example: 'https://example.com/hooks/whatsapp' }

/**
 * Why a URL may not receive webhooks, or undefined when it may. Its host is
 * resolved and every address checked, so a name cannot smuggle in an address
 * a literal would be refused for (cloud metadata at 169.254.169.254, a
 * database on 10.0.0.5, the runtime's own port on 127.0.0.1).
 */
export async function urlProblem(raw: string, allow: AllowedAddresses, use: UrlUse = WEBHOOKS): Promise<string | undefined> {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    return `'${raw}' is not a URL; give one like ${use.example}`
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return `a ${use.noun} must be http or https, not ${url.protocol.replace(':', '')}`
  if (url.username || url.password) return use === WEBHOOKS ? 'a webhook URL may not carry a user name or password; the signature proves who sent it' : `a ${use.noun} may not carry a user name or password`
  const host = url.hostname.replace(/^\[|\]$/g, '')
  let addresses: string[]
  try {
    addresses = ipaddr.isValid(host) ? [host] : (await lookup(host, { all: true, verbatim: true })).map((entry) => entry.address)
  } catch {
    return `the host '${host}' of the ${use.noun} does not resolve`
  }
  for (const address of addresses) {
    const parsed = ipaddr.process(address)
    const kind = RANGES[parsed.range()]
    if (!kind) continue
    if (kind === 'never') return `the ${use.noun} points at ${address}, which cannot ${use.purpose}`
    if (!allow[kind]) return `the ${use.noun} points at ${address}, a ${kind === 'linkLocal' ? 'link-local' : kind} address; set ${use.allowKey}.${kind} to true to allow it`
  }
  return undefined
}
