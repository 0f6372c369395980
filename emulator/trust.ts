// Makes Baileys, in this process, accept the emulator's test certificate
// chain instead of WhatsApp's. Like installing a test root CA: only tests and
// the sandbox call this, never production code.
import { WA_CERT_DETAILS } from '@whiskeysockets/baileys'
import { TEST_ROOT } from './wire/certificates.js'

export function installEmulatorTrust(): void {
  // PUBLIC_KEY is a Buffer shared by reference with the noise handler, so it
  // is overwritten in place; reassigning the property would work too, but in
  // place also covers copies taken before this call.
  const key = WA_CERT_DETAILS.PUBLIC_KEY
  if (key.length === TEST_ROOT.public.length) TEST_ROOT.public.copy(key)
  else (WA_CERT_DETAILS as { PUBLIC_KEY: Buffer }).PUBLIC_KEY = Buffer.from(TEST_ROOT.public)
}
