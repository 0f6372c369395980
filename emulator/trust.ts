// Makes Baileys, in this process, accept the emulator's test certificate
// chain instead of WhatsApp's, and the emulator's media host's TLS
// certificate. Like installing a test root CA: only tests and the sandbox
// call this, never production code.
import https from 'node:https'
import { rootCertificates } from 'node:tls'
import { WA_CERT_DETAILS } from '@whiskeysockets/baileys'
import { MEDIA_CERT } from './media/media-cert.js'
import { TEST_ROOT } from './wire/certificates.js'

/** Node's fetch (undici) reads its default dispatcher from here; a documented interop key. */
const GLOBAL_DISPATCHER = Symbol.for('undici.globalDispatcher.1')
let fetchTrust: Promise<void> | undefined

export function installEmulatorTrust(): void {
  // PUBLIC_KEY is a Buffer shared by reference with the noise handler, so it
  // is overwritten in place; reassigning the property would work too, but in
  // place also covers copies taken before this call.
  const key = WA_CERT_DETAILS.PUBLIC_KEY
  if (key.length === TEST_ROOT.public.length) TEST_ROOT.public.copy(key)
  else (WA_CERT_DETAILS as { PUBLIC_KEY: Buffer }).PUBLIC_KEY = Buffer.from(TEST_ROOT.public)
  trustMediaHost()
}

const trusted = (): string[] => [...rootCertificates, MEDIA_CERT]

/**
 * Baileys uploads with node:https (no agent given: the global agent) and
 * downloads with the global fetch; both keep the public roots and also
 * accept the media host's certificate, so Baileys' own upload and download
 * code runs unchanged against https://127.0.0.1.
 */
function trustMediaHost(): void {
  const options = https.globalAgent.options as { ca?: string[] }
  if (!options.ca?.includes(MEDIA_CERT)) options.ca = trusted()
  fetchTrust ??= trustForFetch()
}

async function trustForFetch(): Promise<void> {
  const slot = globalThis as unknown as Record<symbol, unknown>
  // Node creates its default dispatcher on the first fetch; a data: URL makes it without any network.
  if (!slot[GLOBAL_DISPATCHER]) await fetch('data:,').catch(() => undefined)
  const current = slot[GLOBAL_DISPATCHER] as { constructor: new (opts: unknown) => unknown } | undefined
  // Replace only Node's plain default Agent; a dispatcher someone installed (a proxy, a mock) is theirs.
  if (current?.constructor.name !== 'Agent') return
  slot[GLOBAL_DISPATCHER] = new current.constructor({ connect: { ca: trusted() } })
}

/** Resolves once installEmulatorTrust() (if called) has made fetch trust the media host. */
export async function mediaTrustReady(): Promise<void> {
  await fetchTrust
}
